import { describe, expect, it } from 'vitest';
import { schedules } from '#functions/schedules';
import { nextRun } from '../../infra/local/scheduler';

describe('the local scheduler reads the same expressions as EventBridge Scheduler', () => {
  const { expression, timeZone } = schedules['weekly-digest'];

  it('Monday 07:00 in London is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(nextRun(expression, timeZone, new Date('2026-11-23T09:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextRun(expression, timeZone, new Date('2026-06-10T12:00:00Z')).toISOString()).toBe('2026-06-15T06:00:00.000Z');
  });

  it('across the clocks going forward and back', () => {
    // BST starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    expect(nextRun(expression, timeZone, new Date('2026-03-27T12:00:00Z')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(nextRun(expression, timeZone, new Date('2026-10-23T12:00:00Z')).toISOString()).toBe('2026-10-26T07:00:00.000Z');
  });

  it('a run exactly at its time is not run again; rate() expressions count from now', () => {
    expect(nextRun(expression, timeZone, new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(nextRun('rate(15 minutes)', 'UTC', new Date('2026-11-23T09:00:00Z')).toISOString()).toBe('2026-11-23T09:15:00.000Z');
    expect(() => nextRun('every monday', 'UTC', new Date())).toThrow(/Not a schedule expression/);
  });
});
