import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/local/ports';
import { startLocalStack } from '../../infra/local/stack';
import type { StackInfo } from './local-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo & { dataDir: string };
  }
}

/**
 * The integration suite's local stack, on its own ports and in memory, so that it runs beside a
 * developer's `npm start` without touching it.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-test-'));
  const tableName = 'salesflow-test';
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, stepFunctions: 0, scheduler: 0, dynamodb: await freePort() },
    dataDir,
    inMemory: true,
    tableName,
  });
  project.provide('stack', { ...stack.urls, tableName, keyFile: join(dataDir, 'local-auth-key.json'), dataDir });
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
