import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttempt, type RetryPolicy } from '#domain/email-retry';
import { defaultEmailRetry } from '#functions/config';

const policy: RetryPolicy = { ...defaultEmailRetry, maxAttempts: 5 };
const queuedAt = '2026-11-23T09:00:00.000Z';
const minutesAfter = (minutes: number) => new Date(Date.parse(queuedAt) + minutes * 60_000);

describe("an email's retries", () => {
  it('the first comes within half a minute, each later one further off, never more than an hour apart', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((tries) => {
      const now = minutesAfter(10);
      return (nextAttempt({ queuedAt, attempts: 0, passingFaults: tries }, policy, now, 1)!.getTime() - now.getTime()) / 1000;
    });
    expect(delays.slice(0, 4)).toEqual([30, 60, 120, 240]);
    expect(Math.max(...delays)).toBe(3600);
  });

  it('an SES outage of twenty hours is waited out: passing faults never use up the attempts', () => {
    expect(nextAttempt({ queuedAt, attempts: 0, passingFaults: 60 }, policy, minutesAfter(20 * 60), 0.5)).toBeDefined();
  });

  it('an email SES keeps refusing is given up after its attempts', () => {
    expect(nextAttempt({ queuedAt, attempts: 4, passingFaults: 0 }, policy, minutesAfter(5), 0.5)).toBeDefined();
    expect(nextAttempt({ queuedAt, attempts: 5, passingFaults: 0 }, policy, minutesAfter(5), 0.5)).toBeUndefined();
  });

  it('nothing is tried once the 24-hour window has closed; the last try falls inside it', () => {
    expect(nextAttempt({ queuedAt, attempts: 0, passingFaults: 3 }, policy, minutesAfter(24 * 60), 0.5)).toBeUndefined();
    const last = nextAttempt({ queuedAt, attempts: 0, passingFaults: 30 }, policy, minutesAfter(24 * 60 - 5), 0.9)!;
    expect(last.getTime()).toBe(minutesAfter(24 * 60).getTime());
  });

  it('any retry is after now, at least half its backoff away, and never past the window', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 4 }),
        fc.nat({ max: 200 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempts, passingFaults, minutes, random) => {
          const now = minutesAfter(minutes);
          const next = nextAttempt({ queuedAt, attempts, passingFaults }, policy, now, random);
          expect(next).toBeDefined();
          expect(next!.getTime()).toBeGreaterThan(now.getTime());
          expect(next!.getTime()).toBeLessThanOrEqual(minutesAfter(24 * 60).getTime());
          const tries = Math.max(1, attempts + passingFaults);
          const backoff = Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (tries - 1)) * 1000;
          expect(next!.getTime() - now.getTime()).toBeGreaterThanOrEqual(
            Math.min(backoff / 2, minutesAfter(24 * 60).getTime() - now.getTime()),
          );
        },
      ),
    );
  });
});
