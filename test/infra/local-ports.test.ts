import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort, localHost } from '../../infra/local/ports';
import { startSesLocal } from '../../infra/local/ses-local';
import { startLocalStack } from '../../infra/local/stack';

/**
 * The local stack owns its ports and its processes: a port someone else holds is refused with its
 * number and the variable that moves it, and no Java is left running once the stack is gone.
 */

const held: Server[] = [];
const children: ChildProcess[] = [];
/** Processes a test started (Java, a node under a shell), killed if a test left them. */
const leftovers: number[] = [];
// After all, not each: the Java tests run side by side, each JVM taking seconds to start.
afterAll(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of leftovers.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});

/** Takes a port as another process would; an HTTP server that answers like DynamoDB when asked. */
const hold = async (host = localHost, answerLikeDynamoDb = false): Promise<number> => {
  const server: Server = answerLikeDynamoDb
    ? createHttpServer((_request, response) => {
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        response.end(JSON.stringify({ TableNames: [] }));
      })
    : createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
};

/** Alive and not a zombie waiting for a parent to collect it. */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
};

const until = async (done: () => boolean, withinMillis: number) => {
  const deadline = Date.now() + withinMillis;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return done();
};

/** A node process running `script` (ES module, TypeScript imports through tsx); its first line of output. */
const runNode = (script: string, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => output.includes('\n') && resolve(output.slice(0, output.indexOf('\n'))));
    child.once('exit', (code) => reject(new Error(`exited (${code}) before a line: ${output}`)));
  });
  return { child, firstLine };
};

const moduleUrl = (file: string) => new URL(`../../infra/local/${file}`, import.meta.url).href;
const linux = process.platform === 'linux';
const hasSetpriv = linux && (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'setpriv')));

describe('a taken port is refused with its name and variable', () => {
  it('SES', async () => {
    const port = await hold();
    await expect(startSesLocal({ host: localHost, port })).rejects.toThrow(new RegExp(`Port ${port}\\b.*SES.*SALESFLOW_SES_PORT`));
  });

  it('DynamoDB, even when what holds the port answers like DynamoDB Local', async () => {
    const port = await hold(localHost, true);
    await expect(startDynamoDbLocal({ host: localHost, port })).rejects.toThrow(new RegExp(`Port ${port}\\b.*SALESFLOW_DYNAMODB_PORT`));
  });

  it.runIf(linux)(
    'DynamoDB, when only Java finds the port taken (another address on the machine): at once, not after a minute',
    async () => {
      // Java listens on every address: a port held on 127.0.0.2 is free on 127.0.0.1 but not to Java.
      const port = await hold('127.0.0.2');
      await expect(startDynamoDbLocal({ host: localHost, port })).rejects.toThrow(new RegExp(`Port ${port}\\b.*SALESFLOW_DYNAMODB_PORT`));
    },
    30_000,
  );

  it('the whole stack, before it starts anything, naming every taken port', async () => {
    const api = await hold();
    const scheduler = await hold();
    const refusal = startLocalStack({ ports: { api, dynamodb: 0, ses: 0, stepFunctions: 0, scheduler }, inMemory: true });
    await expect(refusal).rejects.toThrow(new RegExp(`Port ${api}\\b.*SALESFLOW_API_PORT`));
    await expect(refusal).rejects.toThrow(new RegExp(`Port ${scheduler}\\b.*SALESFLOW_SCHEDULER_PORT`));
  }, 30_000);
});

describe.concurrent('no Java outlives the stack', () => {
  const startJava = `
    const { startDynamoDbLocal } = await import(${JSON.stringify(moduleUrl('dynamodb-local.ts'))});
    const dynamodb = await startDynamoDbLocal({ host: '127.0.0.1', port: 0 });
    console.log(dynamodb.pid);
    if (process.env.THEN === 'exit') process.exit(0);
    setInterval(() => undefined, 1000);
  `;

  it('stop ends Java', async ({ expect }) => {
    const dynamodb = await startDynamoDbLocal({ host: localHost, port: await freePort() });
    leftovers.push(dynamodb.pid);
    expect(running(dynamodb.pid)).toBe(true);
    await dynamodb.stop();
    expect(await until(() => !running(dynamodb.pid), 5000)).toBe(true);
  }, 60_000);

  it('a node process that exits without stopping takes its Java with it', async ({ expect }) => {
    const { child, firstLine } = runNode(startJava, { THEN: 'exit' });
    const pid = Number(await firstLine);
    leftovers.push(pid);
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    expect(await until(() => !running(pid), 10_000)).toBe(true);
  }, 60_000);

  it.runIf(hasSetpriv)(
    'a node process killed outright (SIGKILL) takes its Java with it',
    async ({ expect }) => {
      const { child, firstLine } = runNode(startJava);
      const pid = Number(await firstLine);
      leftovers.push(pid);
      child.kill('SIGKILL');
      expect(await until(() => !running(pid), 10_000)).toBe(true);
    },
    60_000,
  );
});

describe('npm passing SIGTERM to its shell only', () => {
  it.runIf(linux)(
    'the process under the shell sees its launcher gone and stops',
    async () => {
      // "; true" keeps sh from exec-ing node, as npm's sh -c does for a script run through tsx.
      const script = `
      const { whenLauncherGone } = await import(${JSON.stringify(moduleUrl('launcher.ts'))});
      whenLauncherGone(() => { console.log('stopping'); process.exit(0); }, 50);
      console.log(process.pid);
      setInterval(() => undefined, 1000);
    `;
      const shell = spawn('sh', ['-c', `"${process.execPath}" --import tsx --input-type=module -e "$SCRIPT"; true`], {
        env: { ...process.env, SCRIPT: script, npm_lifecycle_event: 'start' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(shell);
      let output = '';
      shell.stdout.on('data', (chunk) => (output += chunk));
      expect(await until(() => /^\d+\n/.test(output), 15_000)).toBe(true);
      const pid = Number(output.split('\n')[0]);
      leftovers.push(pid);
      shell.kill('SIGTERM');
      expect(await until(() => output.includes('stopping'), 5000)).toBe(true);
      expect(await until(() => !running(pid), 5000)).toBe(true);
    },
    30_000,
  );
});
