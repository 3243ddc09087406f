import { parseArgs } from 'node:util';
import { whenLauncherGone } from './launcher';
import { PortInUseError } from './ports';
import { startLocalStack } from './stack';

/** `npm start`: the whole system on this machine; prints one line `ready` with its URLs. */
const { values } = parseArgs({ options: { 'in-memory': { type: 'boolean', default: false } } });
const starting = startLocalStack({
  inMemory: values['in-memory'] || process.env.SALESFLOW_DYNAMODB_IN_MEMORY === '1',
});

// Ctrl-C, a kill of this process, a closed terminal, or npm gone: stop every part, Java last.
let stopping = false;
const shutdown = async (why: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`stopping (${why})`);
  // Should a part hang, leave anyway; Java is tied to this process and goes with it.
  setTimeout(() => process.exit(1), 15_000).unref();
  const stack = await starting.catch(() => undefined);
  await stack?.stop();
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);
whenLauncherGone(() => shutdown('the process that launched this one is gone'));

const stack = await starting.catch((error: unknown) => {
  // A taken port is for the user to fix, and the message says how; a stack trace would bury it.
  console.error(error instanceof PortInUseError ? error.message : error);
  process.exit(1);
});
if (!stopping) {
  const { api, dynamodb, ses, stepFunctions, scheduler } = stack.urls;
  console.log(`ready api=${api} dynamodb=${dynamodb} ses=${ses} stepfunctions=${stepFunctions} scheduler=${scheduler}`);
}
