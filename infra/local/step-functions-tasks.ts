import type { Json } from './step-functions-store';

/**
 * The local Step Functions endpoint's timers and parked tasks: a `.waitForTaskToken` task waits
 * here until SendTask* names its token, its timeout passes (bookkeeping: the interpreter fails the
 * task itself) or a heartbeat is missed.
 */

/** An API error, as AWS JSON 1.0 sends it: `{"__type", "message"}` with a 400. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A task failure as the ASL sees it: its `name` is what Retry and Catch match. */
export const taskError = (name: string, cause: string): Error => Object.assign(new Error(cause), { name });
export const stopped = () => taskError('States.Aborted', 'execution stopped');

/** Node's timers hold at most 2^31-1 ms (24.8 days); longer sleeps go in steps. */
export const longestTimer = 2 ** 31 - 1;
/** The interpreter's own task timeout, in seconds, set past anything a local run waits for. */
export const noTimeout = Math.floor(longestTimer / 1000);

export const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  for (let left = ms; left > 0; left -= longestTimer) {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(stopped());
      const timer = setTimeout(resolve, Math.min(left, longestTimer));
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(stopped());
      });
    });
  }
};

export interface ParkedTask {
  executionArn: string;
  stateName: string;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  /** HeartbeatSeconds (real ms, scaled): SendTaskHeartbeat starts it again; missed, the task fails. */
  heartbeat?: { ms: number; timer?: NodeJS.Timeout };
}

/** Finds the token the task's Parameters put somewhere in its input. */
export const findToken = (value: unknown, unclaimed: Set<string>): string | undefined => {
  if (typeof value === 'string') return unclaimed.has(value) ? value : undefined;
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      const found = findToken(inner, unclaimed);
      if (found) return found;
    }
  }
  return undefined;
};

/** The tasks parked by every run of the endpoint, by token. */
export const parkedTasks = () => {
  const parked = new Map<string, ParkedTask>();
  /** Tokens minted by $$.Task.Token and not yet taken by a task. */
  const unclaimed = new Set<string>();
  const timedOut = new Set<string>();

  /** A missed heartbeat fails the task with States.HeartbeatTimeout, as on AWS. */
  const beat = (token: string, task: ParkedTask) => {
    if (!task.heartbeat) return;
    clearTimeout(task.heartbeat.timer);
    task.heartbeat.timer = setTimeout(
      () => {
        if (parked.get(token) !== task) return;
        parked.delete(token);
        clearTimeout(task.timer);
        timedOut.add(token);
        task.reject(taskError('States.HeartbeatTimeout', `${task.stateName}: no heartbeat within its HeartbeatSeconds`));
      },
      Math.min(Math.max(task.heartbeat.ms, 0), longestTimer),
    );
  };

  /** Parks a task until SendTask* names its token; after `timeoutMs` (real) SendTask* hears it timed out. */
  const park = (token: string, executionArn: string, stateName: string, timeoutMs: number | undefined, heartbeatMs?: number) =>
    new Promise<Json>((resolve, reject) => {
      const task: ParkedTask = {
        executionArn,
        stateName,
        resolve,
        reject,
        ...(heartbeatMs !== undefined ? { heartbeat: { ms: heartbeatMs } } : {}),
      };
      beat(token, task);
      if (timeoutMs !== undefined) {
        // Bookkeeping only: the interpreter fails the task itself; from then on SendTask* names a timed-out task.
        task.timer = setTimeout(
          () => {
            parked.delete(token);
            clearTimeout(task.heartbeat?.timer);
            timedOut.add(token);
          },
          Math.min(Math.max(timeoutMs, 0), longestTimer),
        );
      }
      parked.set(token, task);
    });

  /** A stopped run's parked task ends too, so nothing of it (its timers included) outlives it. */
  const release = (token: string, task: ParkedTask) => {
    clearTimeout(task.timer);
    clearTimeout(task.heartbeat?.timer);
    parked.delete(token);
    task.reject(stopped());
  };

  /** An answer (SendTaskSuccess/Failure) for a parked task; TaskTimedOut or TaskDoesNotExist otherwise. */
  const settle = (token: unknown, outcome: (task: ParkedTask) => void) => {
    const key = String(token ?? '');
    if (timedOut.has(key)) throw new ApiError('TaskTimedOut', 'Task Timed Out');
    const task = parked.get(key);
    if (!task) throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist');
    parked.delete(key);
    clearTimeout(task.timer);
    clearTimeout(task.heartbeat?.timer);
    outcome(task);
  };

  /** SendTaskHeartbeat: starts the task's heartbeat again. */
  const heartbeat = (token: unknown) => {
    const key = String(token ?? '');
    if (timedOut.has(key)) throw new ApiError('TaskTimedOut', 'Task Timed Out');
    const task = parked.get(key);
    if (!task) throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist');
    beat(key, task);
  };

  return { parked, unclaimed, park, release, settle, heartbeat };
};
