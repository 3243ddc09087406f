import { localHost, localPorts } from './ports';

/** `npm run fire -- weekly-digest [tick]`: runs a schedule now on the running `npm start`. */
const [name, tick] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: npm run fire -- SCHEDULE [ISO-TICK]\n');
  process.exit(2);
}
const response = await fetch(`http://${localHost}:${localPorts.scheduler}/schedules/${name}/fire`, {
  method: 'POST',
  body: tick ? JSON.stringify({ tick }) : undefined,
});
process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
process.exit(response.ok ? 0 : 1);
