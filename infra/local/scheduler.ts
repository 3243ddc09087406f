import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import awsCronParser from 'aws-cron-parser';
import type { Schedule, ScheduleEvent, ScheduleName } from '#functions/schedules';
import { listen } from './ports';

/**
 * EventBridge Scheduler's stand-in: the same expressions and time zones from functions/schedules.ts,
 * evaluated with an AWS-syntax cron parser on the zone's wall clock, on a clock that runs
 * `timeScale` times faster. A target that fails is retried, then written to a dead-letter file.
 * `POST /schedules/{name}/fire` runs one now (optionally for a given `tick`, or with an `input` of
 * its own, as `aws lambda invoke` would) and answers with the target's result; `GET /schedules` lists each with its next run.
 */

type Target = (event: ScheduleEvent) => Promise<unknown>;

export interface LocalSchedulerOptions {
  host: string;
  port: number;
  schedules: Partial<Record<ScheduleName, Schedule>>;
  targets: Partial<Record<ScheduleName, Target>>;
  timeScale?: number;
  deadLetterFile: string;
  /** Pause between retries of a failed target, in real milliseconds. */
  retryDelayMillis?: number;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
const zoneOffset = (instant: Date, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
};

const rateUnits: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The first time after `from` that `expression` fires in `timeZone`. Cron fields are read on the
 * zone's wall clock, so cron(0 7 ...) in Europe/London is 07:00 GMT in winter and 07:00 BST in summer.
 */
export const nextRun = (expression: string, timeZone: string, from: Date): Date => {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) return new Date(from.getTime() + Number(rate[1]) * rateUnits[rate[2]!]!);
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new Error(`Not a schedule expression: ${expression}`);
  const wallFrom = new Date(from.getTime() + zoneOffset(from, timeZone));
  const wallNext = awsCronParser.next(awsCronParser.parse(cron[1]!), wallFrom);
  if (!wallNext) throw new Error(`${expression} never fires again`);
  // Back from the wall clock to an instant; twice, in case the offset changes in between.
  let instant = wallNext.getTime() - zoneOffset(wallNext, timeZone);
  instant = wallNext.getTime() - zoneOffset(new Date(instant), timeZone);
  return new Date(instant);
};

/** The shortest real interval of a rate() schedule, whatever the time scale (said at start). */
const minimumRateMillis = 1000;

export const startLocalScheduler = async (options: LocalSchedulerOptions) => {
  const scale = options.timeScale ?? 1;
  const started = Date.now();
  /** The scheduler's clock: real time, sped up by the time scale from the moment it started. */
  const clock = () => new Date(started + (Date.now() - started) * scale);
  const timers = new Map<string, NodeJS.Timeout>();
  const nextRuns = new Map<string, Date>();
  const running = new Set<ScheduleName>();
  let closed = false;

  const invoke = async (name: ScheduleName, tick: string) => {
    const schedule = options.schedules[name]!;
    const target = options.targets[name]!;
    let lastError: unknown;
    for (let attempt = 0; attempt <= schedule.retryAttempts; attempt += 1) {
      try {
        return { ok: true as const, result: await target({ schedule: name, tick }) };
      } catch (error) {
        lastError = error;
        if (attempt < schedule.retryAttempts)
          await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMillis ?? 200) * 2 ** attempt));
      }
    }
    mkdirSync(dirname(options.deadLetterFile), { recursive: true });
    appendFileSync(
      options.deadLetterFile,
      `${JSON.stringify({ at: new Date().toISOString(), schedule: name, tick, error: (lastError as Error)?.name, message: (lastError as Error)?.message })}\n`,
    );
    console.error(`[scheduler] ${name} ${tick} failed after ${schedule.retryAttempts + 1} attempts; sent to ${options.deadLetterFile}`);
    return { ok: false as const, error: lastError as Error };
  };

  /** The schedule's function called directly with a payload of its own, once, as Lambda's invoke does. */
  const invokeWith = async (name: ScheduleName, input: unknown) => {
    try {
      return { ok: true as const, result: await (options.targets[name] as unknown as (event: unknown) => Promise<unknown>)(input) };
    } catch (error) {
      return { ok: false as const, error: error as Error };
    }
  };

  const arm = (name: ScheduleName) => {
    if (closed) return;
    const schedule = options.schedules[name]!;
    const next = nextRun(schedule.expression, schedule.timeZone, clock());
    nextRuns.set(name, next);
    // Sped up, a rate(1 minute) job would run every few milliseconds: rate schedules run at most
    // once a second of real time here, and never while their previous run is still going.
    const floor = schedule.expression.startsWith('rate(') ? minimumRateMillis : 0;
    const delay = Math.min(2 ** 31 - 1, Math.max(floor, (next.getTime() - clock().getTime()) / scale));
    const timer = setTimeout(async () => {
      if (clock() < next) return arm(name); // a long wait re-armed in steps
      if (running.has(name)) return arm(name);
      running.add(name);
      arm(name);
      try {
        await invoke(name, next.toISOString());
      } finally {
        running.delete(name);
      }
    }, delay);
    timer.unref();
    timers.set(name, timer);
  };
  for (const name of Object.keys(options.schedules) as ScheduleName[]) arm(name);

  const server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? '/', 'http://local');
    if (request.method === 'GET' && url.pathname === '/schedules') {
      return send(
        200,
        Object.entries(options.schedules).map(([name, s]) => ({ name, ...s, nextRunAt: nextRuns.get(name)?.toISOString() })),
      );
    }
    const fire = /^\/schedules\/([\w-]+)\/fire$/.exec(url.pathname);
    if (request.method === 'POST' && fire) {
      const name = fire[1] as ScheduleName;
      if (!options.schedules[name]) return send(404, { message: `No schedule ${name}` });
      let raw = '';
      for await (const chunk of request) raw += chunk;
      const { tick, input } = raw ? (JSON.parse(raw) as { tick?: string; input?: unknown }) : {};
      // `input` stands for `aws lambda invoke --payload` on the schedule's function (the redrive).
      const outcome = input === undefined ? await invoke(name, tick ?? clock().toISOString()) : await invokeWith(name, input);
      return outcome.ok
        ? send(200, outcome.result ?? {})
        : send(502, { message: `${name} failed: ${outcome.error?.message}`, deadLettered: true });
    }
    send(404, { message: 'POST /schedules/{name}/fire or GET /schedules' });
  });
  const { url, close } = await listen(server, options.host, options.port);
  return {
    url,
    close: async () => {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await close();
    },
  };
};
