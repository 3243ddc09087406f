import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ensurePortFree, freePort, PortInUseError } from './ports';

/**
 * AWS's own DynamoDB Local (the jar shipped in the npm package amplify-dynamodb-simulator), on
 * this machine's Java. It speaks the real DynamoDB API: transactions, streams, TTL, PartiQL.
 */
export interface DynamoDbLocal {
  endpoint: string;
  /** The Java process. */
  pid: number;
  stop(): Promise<void>;
}

const jarDir = () => join(dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')), 'emulator');

/**
 * On Linux, setpriv has the kernel signal Java as soon as this process dies, however it dies
 * (SIGKILL included), so no JVM outlives the stack; elsewhere only the exit hook below does.
 */
const tiedToThisProcess = (): string[] => {
  if (process.platform !== 'linux') return [];
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'setpriv')));
  return onPath ? ['setpriv', '--pdeathsig', 'TERM', '--'] : [];
};

// Jetty says "Started ServerConnector" once it holds the port: only then is whatever answers there
// this Java, and not another stack's DynamoDB Local on the same port. A taken port does not make
// DynamoDB Local exit; it prints the BindException and lingers.
const jettyConnectorLog = [
  '-Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.StdErrLog',
  '-Dorg.eclipse.jetty.server.AbstractConnector.LEVEL=INFO',
];
const listening = /Started ServerConnector/;
const bindFailed = /Failed to bind|BindException|Address already in use/;

export const startDynamoDbLocal = async (options: {
  host: string;
  /** 0 picks a free one (Java cannot be told "any port" and report it). */
  port: number;
  /** A folder to persist to; in memory when absent. */
  dataDir?: string;
}): Promise<DynamoDbLocal> => {
  const { host } = options;
  const port = options.port === 0 ? await freePort() : options.port;
  await ensurePortFree('dynamodb', host, port);
  const dir = jarDir();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const [command, ...args] = [
    ...tiedToThisProcess(),
    process.env.JAVA ?? 'java',
    '-Xmx512m',
    ...jettyConnectorLog,
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ] as [string, ...string[]];
  const java: ChildProcess = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  // However this process ends (process.exit, an uncaught error), Java goes with it.
  const stopJava = () => java.kill('SIGTERM');
  process.on('exit', stopJava);
  const exited = new Promise<void>((resolve) =>
    java.once('exit', () => {
      process.off('exit', stopJava);
      resolve();
    }),
  );
  let spawnError: Error | undefined;
  java.once('error', (error) => {
    spawnError = error;
    process.off('exit', stopJava);
  });
  const running = () => java.exitCode === null && java.signalCode === null && !spawnError;

  // Kept only while starting, for the error message; read throughout so Java never blocks on a full pipe.
  let starting = true;
  let output = '';
  const collect = (chunk: Buffer) => {
    if (starting) output += chunk;
  };
  java.stdout?.on('data', collect);
  java.stderr?.on('data', collect);

  const endpoint = `http://${host}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const failed = (error: Error) => {
    java.kill('SIGKILL');
    client.destroy();
    return error;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (bindFailed.test(output)) throw failed(new PortInUseError([{ name: 'dynamodb', host, port }]));
    if (!running())
      throw failed(
        new Error(`DynamoDB Local exited while starting (${spawnError?.message ?? java.exitCode ?? java.signalCode}):\n${output}`),
      );
    if (listening.test(output)) {
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        // Bound but not serving yet.
      }
    }
    if (Date.now() > deadline) throw failed(new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output}`));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  starting = false;
  output = '';
  client.destroy();
  return {
    endpoint,
    pid: java.pid!,
    stop: async () => {
      if (running()) {
        java.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (running()) java.kill('SIGKILL');
      }
    },
  };
};
