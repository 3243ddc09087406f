import { parseArgs } from 'node:util';
import { startLocalStack } from './stack';

/** `npm start`: the whole system on this machine; prints one line `ready` with its URLs. */
const { values } = parseArgs({ options: { 'in-memory': { type: 'boolean', default: false } } });
const stack = await startLocalStack({
  inMemory: values['in-memory'] || process.env.SALESFLOW_DYNAMODB_IN_MEMORY === '1',
});
const { api, dynamodb, ses, stepFunctions, scheduler } = stack.urls;
console.log(`ready api=${api} dynamodb=${dynamodb} ses=${ses} stepfunctions=${stepFunctions} scheduler=${scheduler}`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
