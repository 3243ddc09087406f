import { parseArgs } from 'node:util';
import { settingNames } from '#functions/config';
import { localHost, localPorts } from './local/ports';

/**
 * `npm run rollups:rebuild`: the reports' rollups recomputed from the records (functions/reports/
 * rebuild.ts), on the running `npm start` by default, or on a stage's table with `--table` and
 * the AWS credentials and region of the environment. Prints what it wrote.
 */
const { values } = parseArgs({
  options: { table: { type: 'string' }, endpoint: { type: 'string' } },
});
if (values.table) {
  process.env[settingNames.tableName] = values.table;
  if (values.endpoint) process.env.AWS_ENDPOINT_URL_DYNAMODB = values.endpoint;
} else {
  process.env[settingNames.tableName] ??= 'salesflow';
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= values.endpoint ?? `http://${localHost}:${localPorts.dynamodb}`;
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
const { rebuildRollups } = await import('#functions/reports/rebuild');
const rebuilt = await rebuildRollups();
process.stdout.write(`${JSON.stringify(rebuilt)}\n`);
