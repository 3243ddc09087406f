import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize, type Summary } from './stats';

/**
 * Section 2: a cold start as Lambda has one: a fresh `node` process imports the bundle and serves
 * one event against the local stack. Timed from spawn to exit, median of `runs`.
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

/** One cold start of a bundle with a fresh event: its time and what the handler answered. */
export const coldStart = async (bundleFile: string, event: unknown, workDir: string) => {
  mkdirSync(workDir, { recursive: true });
  const eventFile = join(workDir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  return once(['bench/cold-runner.mjs', bundleFile, eventFile]);
};

/**
 * Every function's cold starts, each run next to one of the floor's, round after round: a busy
 * moment on a shared machine then slows both alike, and the ratio holds.
 */
export const coldStartsBesideFloor = async (
  floorFile: string,
  functions: { name: string; file: string; event: () => unknown }[],
  runs: number,
  workDir: string,
) => {
  const floor: number[] = [];
  const times = new Map<string, number[]>(functions.map((f) => [f.name, []]));
  const outcomes = new Map<string, string>();
  for (let round = 0; round < runs; round += 1) {
    for (const fn of functions) {
      floor.push((await coldStart(floorFile, {}, workDir)).millis);
      const { millis, output } = await coldStart(fn.file, fn.event(), workDir);
      times.get(fn.name)!.push(millis);
      outcomes.set(fn.name, output);
    }
  }
  const floorSummary = summarize(floor);
  return {
    floor: floorSummary,
    functions: functions.map((fn) => {
      const summary = summarize(times.get(fn.name)!);
      return { name: fn.name, ...summary, ratio: Math.round((summary.median / floorSummary.median) * 100) / 100, outcome: outcomes.get(fn.name) };
    }),
  };
};
