import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#functions/observability';

const settings = ['POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL', '_X_AMZN_TRACE_ID'] as const;
let saved: Record<string, string | undefined>;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  saved = Object.fromEntries(settings.map((name) => [name, process.env[name]]));
  for (const name of settings) delete process.env[name];
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const name of settings) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const entries = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the JSON logger', () => {
  it('writes one JSON line per entry with the fields Powertools wrote, in its order, the trace Root from _X_AMZN_TRACE_ID', () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1';
    logger.info('lead logged', { leadId: 'L-1', channel: 'bingo-card' });
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).toMatch(/^\{.*\}\n$/);
    const [entry] = entries(stdout);
    expect(Object.keys(entry!)).toEqual(['level', 'message', 'timestamp', 'service', 'xray_trace_id', 'leadId', 'channel']);
    expect(entry).toEqual({
      level: 'INFO',
      message: 'lead logged',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'salesflow',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      leadId: 'L-1',
      channel: 'bingo-card',
    });
    expect(stderr).toEqual([]);
  });

  it('warnings and errors go to stderr; debug only when the level asks for it', () => {
    logger.debug('quote step', { step: 'fail' });
    logger.warn('passing fault', { errorName: 'Throttling' });
    logger.error('email failed for good', { attempts: 3 });
    expect(stdout).toEqual([]);
    expect(entries(stderr).map(({ level, message }) => [level, message])).toEqual([
      ['WARN', 'passing fault'],
      ['ERROR', 'email failed for good'],
    ]);
    process.env.POWERTOOLS_LOG_LEVEL = 'debug';
    logger.debug('quote step', { step: 'fail' });
    expect(entries(stdout)).toMatchObject([{ level: 'DEBUG', step: 'fail' }]);
  });

  it('honours POWERTOOLS_LOG_LEVEL, then LOG_LEVEL, with Lambda’s own log level as the floor', () => {
    process.env.LOG_LEVEL = 'WARN';
    logger.info('not written');
    logger.warn('written');
    process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
    logger.error('not written either');
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
    logger.warn('under the floor');
    logger.error('over the floor');
    expect(stdout).toEqual([]);
    expect(entries(stderr).map(({ message }) => message)).toEqual(['written', 'over the floor']);
  });

  it('an Error is written as its name, location, message, stack and cause, with its own fields', () => {
    const cause = new Error('socket hang up');
    // A named function: its frame reads "at sdkCall (file:line:column)", the first one with a location.
    const sdkCall = () => Object.assign(new Error('Rate exceeded', { cause }), { name: 'ThrottlingException', $fault: 'client' });
    const error = sdkCall();
    logger.error('unhandled fault', { routeKey: 'POST /leads', error });
    const [entry] = entries(stderr);
    expect(entry!.error).toEqual({
      name: 'ThrottlingException',
      location: expect.stringMatching(/observability\.test\.ts:\d+$/),
      message: 'Rate exceeded',
      stack: expect.stringContaining('Rate exceeded'),
      cause: expect.objectContaining({ name: 'Error', message: 'socket hang up' }),
      $fault: 'client',
    });
  });

  it('keeps its own fields over keys of the same name, leaves empty fields out, and never throws on odd values', () => {
    const cycle: Record<string, unknown> = { id: 'x' };
    cycle.self = cycle;
    logger.info('digest run', { level: 'ERROR', service: 'other', message: 'other', count: 10n, none: null, blank: '', cycle, zero: 0 });
    const [entry] = entries(stdout);
    expect(entry).toMatchObject({ level: 'INFO', service: 'salesflow', message: 'digest run', count: '10', cycle: { id: 'x' }, zero: 0 });
    expect(entry).not.toHaveProperty('none');
    expect(entry).not.toHaveProperty('blank');
    expect(entry).not.toHaveProperty('xray_trace_id');
    const unwritable = {
      toJSON: () => {
        throw new Error('no');
      },
    };
    expect(() => logger.info('odd', { unwritable })).not.toThrow();
    expect(entries(stdout)[1]).toMatchObject({ level: 'INFO', message: 'odd', unwritable_keys: true });
  });
});
