import { describe, expect, it } from 'vitest';
import { findRoute } from '#functions/routes';
import { localThrottle } from '../../infra/local/api-gateway';

/**
 * The public form's throttle, per route and per client IP (issue 13): one client sending 36
 * requests a second used to make 1 in 4 real customers wait. Now it waits alone.
 */
describe('the local throttle', () => {
  const leads = findRoute('POST /leads')!;

  it('one noisy client never makes a customer wait: 36 a second for a minute, one customer a second', () => {
    let now = 0;
    const admit = localThrottle(() => now);
    const customers: boolean[] = [];
    let noisyAdmitted = 0;
    for (let tick = 0; tick < 60 * 36; tick += 1) {
      now = (tick * 1000) / 36;
      if (admit(leads, '203.0.113.9')) noisyAdmitted += 1;
      if (tick % 36 === 0) customers.push(admit(leads, `198.51.100.${tick % 250}`));
    }
    expect(customers.every(Boolean)).toBe(true);
    // The noisy client gets its own burst and rate, no more.
    expect(noisyAdmitted).toBeLessThanOrEqual(leads.throttle!.perClient.burst + 60 * leads.throttle!.perClient.rate + 1);
  });

  it('many clients together still meet the route limit', () => {
    const admit = localThrottle(() => 0);
    const answers = Array.from({ length: 100 }, (_, n) => admit(leads, `192.0.2.${n}`));
    expect(answers.filter(Boolean)).toHaveLength(leads.throttle!.burst);
  });
});
