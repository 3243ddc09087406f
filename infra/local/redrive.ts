import { localHost, localPorts } from './ports';

/**
 * `npm run redrive`: on the running `npm start`, every email the outbox gave up on gets a fresh
 * round of attempts and goes at once (the mail-retry job's function, invoked with {"redrive":true},
 * as the README's AWS command does there). Prints how many were redriven and how each attempt went.
 */
const response = await fetch(`http://${localHost}:${localPorts.scheduler}/schedules/mail-retry/fire`, {
  method: 'POST',
  body: JSON.stringify({ input: { redrive: true } }),
});
process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
process.exit(response.ok ? 0 : 1);
