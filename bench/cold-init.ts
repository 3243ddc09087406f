import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bootstrapMedian, type MedianWithInterval, type Summary, summarize } from './stats';

/**
 * Section 2: a cold start as Lambda has one: a fresh `node` process imports the bundle and serves
 * one event against the local stack. Timed from spawn to exit.
 */
const once = (args: string[]): Promise<{ millis: number; output: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const millis = performance.now() - started;
      if (code !== 0) reject(new Error(`exit ${code}: ${errors.slice(0, 400)}`));
      else resolve({ millis, output });
    });
  });

export const bareNode = async (runs: number): Promise<Summary> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await once(['-e', '0'])).millis);
  return summarize(times);
};

/** What bench/cold-runner.mjs printed: the handler's answer, or the error it threw. */
interface Outcome {
  ok: boolean;
  status?: number | null;
  body?: string;
  error?: string;
}

/** One cold start of a bundle with a fresh event: its time and what the handler answered. */
export const coldStart = async (bundleFile: string, event: unknown, workDir: string) => {
  mkdirSync(workDir, { recursive: true });
  const eventFile = join(workDir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const { millis, output } = await once(['bench/cold-runner.mjs', bundleFile, eventFile]);
  return { millis, outcome: JSON.parse(output) as Outcome };
};

export interface ColdFunction {
  name: string;
  /** An API function's route: its start must answer 2xx, or the run is refused. */
  route?: string;
  /** A start that throws refuses the run. */
  mustSucceed: boolean;
  /** What its result must say, where a start that found nothing to do would answer alike. */
  didItsWork?: RegExp;
  file: string;
  event: (round: number) => unknown;
}

export interface ColdFigure extends Summary {
  name: string;
  route?: string;
  /** Each round's start over the floor's start just before it. */
  roundRatios: number[];
  /** The median of those ratios, with its 90% bootstrap interval. */
  ratio: MedianWithInterval;
  outcome: Outcome;
}

/**
 * Every function's cold starts, each run right after one of the floor's, round after round: a
 * busy moment on a shared machine then slows both alike, and each round's ratio holds.
 */
export const coldStartsBesideFloor = async (
  floorFile: string,
  functions: ColdFunction[],
  rounds: number,
  workDir: string,
  log: (line: string) => void = () => undefined,
): Promise<{ floor: Summary; functions: ColdFigure[] }> => {
  const floor: number[] = [];
  const times = new Map<string, { millis: number[]; ratios: number[]; outcome?: Outcome }>(
    functions.map((f) => [f.name, { millis: [], ratios: [] }]),
  );
  for (let round = 0; round < rounds; round += 1) {
    log(`cold round ${round + 1} of ${rounds}`);
    for (const fn of functions) {
      const floorStart = await coldStart(floorFile, {}, workDir);
      if (!floorStart.outcome.ok) throw new Error(`bench: the floor's cold start failed: ${JSON.stringify(floorStart.outcome)}`);
      const { millis, outcome } = await coldStart(fn.file, fn.event(round), workDir);
      // A refused request (a 4xx) never reaches the code the figure is meant to cost.
      if (fn.mustSucceed && !outcome.ok) throw new Error(`bench: ${fn.name}'s cold start threw ${outcome.error}`);
      if (fn.didItsWork && !fn.didItsWork.test(outcome.body ?? ''))
        throw new Error(`bench: ${fn.name}'s cold start found nothing to do: ${outcome.body}`);
      // A stream batch that reports a failed record did not do its work either.
      if (fn.mustSucceed && /"batchItemFailures":\[\{/.test(outcome.body ?? ''))
        throw new Error(`bench: ${fn.name}'s cold start failed a record: ${outcome.body}`);
      if (fn.route && !(outcome.ok && typeof outcome.status === 'number' && outcome.status >= 200 && outcome.status < 300)) {
        throw new Error(`bench: ${fn.name}'s cold start on ${fn.route} answered ${outcome.status ?? outcome.error}: ${outcome.body ?? ''}`);
      }
      floor.push(floorStart.millis);
      const own = times.get(fn.name)!;
      own.millis.push(millis);
      own.ratios.push(millis / floorStart.millis);
      own.outcome = outcome;
    }
  }
  return {
    floor: summarize(floor),
    functions: functions.map((fn) => {
      const own = times.get(fn.name)!;
      return {
        name: fn.name,
        ...(fn.route ? { route: fn.route } : {}),
        ...summarize(own.millis),
        roundRatios: own.ratios.map((r) => Math.round(r * 1000) / 1000),
        ratio: bootstrapMedian(own.ratios),
        outcome: own.outcome!,
      };
    }),
  };
};
