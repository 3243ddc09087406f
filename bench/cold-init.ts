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

export const coldStarts = async (bundleFile: string, event: () => unknown, runs: number, workDir: string) => {
  mkdirSync(workDir, { recursive: true });
  const times: number[] = [];
  let outcome = '';
  for (let i = 0; i < runs; i += 1) {
    const eventFile = join(workDir, `event-${i}.json`);
    writeFileSync(eventFile, JSON.stringify(event()));
    const { millis, output } = await once(['bench/cold-runner.mjs', bundleFile, eventFile]);
    times.push(millis);
    outcome = output;
  }
  return { ...summarize(times), outcome };
};
