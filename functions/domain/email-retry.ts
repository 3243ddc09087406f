/**
 * When an email that was not sent is tried again: exponential backoff with jitter, within a window
 * counted from when it was queued. Attempts that failed for the email's own sake are limited;
 * passing faults (SES throttled or down) only by the window, so an outage of hours loses nothing.
 */

export interface RetryPolicy {
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  windowHours: number;
  /** Attempts that may fail for the email's own sake (a rejected message) before it is given up. */
  maxAttempts: number;
}

export interface RetryState {
  queuedAt: string;
  /** Failed attempts counted against the email, after this one. */
  attempts: number;
  /** Attempts that met a passing fault, after this one. */
  passingFaults: number;
}

/** The next attempt's time, or undefined when the email is to be given up. `random` is in [0, 1). */
export const nextAttempt = (state: RetryState, policy: RetryPolicy, now: Date, random: number): Date | undefined => {
  if (state.attempts >= policy.maxAttempts) return undefined;
  const windowEnd = Date.parse(state.queuedAt) + policy.windowHours * 3_600_000;
  if (now.getTime() >= windowEnd) return undefined;
  const tries = Math.max(1, state.attempts + state.passingFaults);
  const backoff = Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (tries - 1)) * 1000;
  // "Equal jitter": at least half the backoff, so retries spread out but never bunch at zero.
  const delay = backoff / 2 + (backoff / 2) * random;
  return new Date(Math.min(now.getTime() + delay, windowEnd));
};
