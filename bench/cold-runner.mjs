// One cold start, as Lambda does it: a fresh process imports the bundle and serves one event.
// argv: bundle file, event JSON file. Prints the handler's outcome (an API answer's status and the
// start of its body, so a refused request can be told apart); the parent times the process.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundleFile, eventFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundleFile).href);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 29_000,
  callbackWaitsForEmptyEventLoop: false,
};
try {
  const result = await handler(event, context);
  // An API answer's body; any other function's whole result (a stream batch's failures, say).
  const body =
    typeof result?.body === 'string' ? result.body.slice(0, 400) : result === undefined ? undefined : JSON.stringify(result).slice(0, 400);
  process.stdout.write(JSON.stringify({ ok: true, status: result?.statusCode ?? null, ...(body === undefined ? {} : { body }) }));
} catch (error) {
  // A step that finds no record throws; it has still loaded everything and read the table.
  process.stdout.write(JSON.stringify({ ok: false, error: error?.name ?? String(error) }));
}
process.exit(0);
