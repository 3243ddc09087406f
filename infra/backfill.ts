import { backfillFindIndex } from '#adapters/search-backfill';
import { settingNames } from '#functions/config';
import { localHost, localPorts } from './local/ports';

/**
 * `npm run backfill`: gives records made before search and lists (issue 15) their search terms
 * and list keys. Idempotent: run it again and it reads the table and writes nothing.
 *
 *   npm run backfill                                   # the running npm start's table
 *   npm run backfill -- --aws --table <TableName>      # a deployed stage, with AWS credentials in the environment
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
process.env[settingNames.tableName] = option('table') ?? process.env[settingNames.tableName] ?? 'salesflow';
if (!args.includes('--aws')) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://${localHost}:${localPorts.dynamodb}`;
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
const started = Date.now();
const counts = await backfillFindIndex({
  segments: Number(option('segments') ?? 4),
  onProgress: (c) => process.stderr.write(`\rread ${c.read}, records ${c.records}, terms ${c.terms}`),
});
process.stderr.write('\n');
process.stdout.write(
  `${JSON.stringify({ table: process.env[settingNames.tableName], ...counts, seconds: (Date.now() - started) / 1000 })}\n`,
);
