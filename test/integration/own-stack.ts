import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/ports';
import { startLocalStack } from '../../infra/local/stack';
import { stackClient } from './local-stack';

/**
 * A test file's own local stack, in this worker process, on free ports and in memory: for what the
 * shared stack must not have (a dead SES, time running fast). `env` is applied before it starts.
 */
export const startOwnStack = async (name: string, env: Record<string, string> = {}) => {
  const dataDir = mkdtempSync(join(tmpdir(), `salesflow-${name}-`));
  Object.assign(process.env, env);
  const tableName = `salesflow-${name}`;
  const local = await startLocalStack({
    ports: { api: 0, ses: 0, stepFunctions: 0, scheduler: 0, dynamodb: await freePort() },
    dataDir,
    inMemory: true,
    tableName,
  });
  return {
    local,
    dataDir,
    client: stackClient({ ...local.urls, tableName, keyFile: join(dataDir, 'local-auth-key.json') }),
    stop: async () => {
      await local.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type OwnStack = Awaited<ReturnType<typeof startOwnStack>>;
