import type { Context as LambdaContext } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { JSONPath } from 'jsonpath-plus';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { lambdaContext } from './api-event';
import { listen } from './ports';

/**
 * The Step Functions API on one machine. `aws-local-stepfunctions` interprets the same ASL files
 * the CDK stack deploys; this module gives it what it lacks:
 * - the API (AWS JSON 1.0, as the SDK and the CLI speak it): StartExecution, DescribeExecution,
 *   ListExecutions, GetExecutionHistory, StopExecution, SendTaskSuccess/Failure/Heartbeat, and
 *   ListStateMachines/DescribeStateMachine;
 * - Lambda tasks, run in this process by the same handlers (direct ARNs and lambda:invoke);
 * - `.waitForTaskToken`: the token comes from the Context object ($$.Task.Token), the task is
 *   parked until SendTask* names it, and its TimeoutSeconds fails it with States.Timeout;
 * - time scale: every Wait (Seconds, Timestamp and their Paths), every task timeout and every
 *   retry interval runs `timeScale` times faster, so a demo or a test never sleeps real days.
 * Executions live in memory, as in AWS's own Step Functions Local: a restart forgets them.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LocalWorkflow {
  /** The state machine's name, as in its ARN. */
  name: string;
  /** The ASL text, with `${Name}` definition substitutions as the CDK stack fills them. */
  definition: string;
  /** Substitution name to the Lambda handler that runs there. */
  functions: Record<string, TaskHandler>;
}

export interface LocalStepFunctionsOptions {
  host: string;
  port: number;
  region: string;
  account?: string;
  workflows: LocalWorkflow[];
  /** 86400 makes a day pass in a second. */
  timeScale?: number;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: Status;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  events: HistoryEvent[];
  abort: () => void;
}

interface ParkedTask {
  executionArn: string;
  stateName: string;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/** An API error, as AWS JSON 1.0 sends it: `{"__type", "message"}` with a 400. */
class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A task failure as the ASL sees it: its `name` is what Retry and Catch match. */
const taskError = (name: string, cause: string): Error => Object.assign(new Error(cause), { name });

/** Node's timers hold at most 2^31-1 ms (24.8 days); longer sleeps go in steps. */
const longestTimer = 2 ** 31 - 1;
/** The interpreter's own task timeout, in seconds, set past anything a local run waits for. */
const noTimeout = Math.floor(longestTimer / 1000);

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  for (let left = ms; left > 0; left -= longestTimer) {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(taskError('States.Aborted', 'execution stopped'));
      const timer = setTimeout(resolve, Math.min(left, longestTimer));
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(taskError('States.Aborted', 'execution stopped'));
      });
    });
  }
};

const pathValue = (path: string, json: unknown): unknown => JSONPath({ path, json: json as object, wrap: false });

/** Finds the token the task's Parameters put somewhere in its input. */
const findToken = (value: unknown, unclaimed: Set<string>): string | undefined => {
  if (typeof value === 'string') return unclaimed.has(value) ? value : undefined;
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      const found = findToken(inner, unclaimed);
      if (found) return found;
    }
  }
  return undefined;
};

interface Localized {
  definition: StateMachineDefinition;
  handlers: Record<string, (input: Json) => Promise<Json>>;
  /** Milliseconds before each retrier's retries, per state, when time runs fast. */
  retryIntervals: Record<string, number[]>;
  /** The state's type as written in the ASL (Waits run as tasks here). */
  types: Record<string, string>;
}

export const startLocalStepFunctions = async (options: LocalStepFunctionsOptions) => {
  const account = options.account ?? '000000000000';
  const scale = options.timeScale && options.timeScale > 0 ? options.timeScale : 1;
  const machineArn = (name: string) => `arn:aws:states:${options.region}:${account}:stateMachine:${name}`;
  const functionArn = (name: string) => `arn:aws:lambda:${options.region}:${account}:function:${name}`;
  const executions = new Map<string, Execution>();
  const parked = new Map<string, ParkedTask>();
  const unclaimed = new Set<string>();
  const timedOut = new Set<string>();

  /** Rewrites a definition for the interpreter, keeping every state's name and transitions. */
  const localize = (workflow: LocalWorkflow, signalFor: () => AbortSignal, executionArnFor: () => string): Localized => {
    let text = workflow.definition;
    const byArn = new Map<string, { name: string; handler: TaskHandler }>();
    for (const [name, handler] of Object.entries(workflow.functions)) {
      text = text.replaceAll(`\${${name}}`, functionArn(name));
      byArn.set(functionArn(name), { name, handler });
    }
    const unresolved = /\$\{(\w+)\}/.exec(text);
    if (unresolved) throw new Error(`${workflow.name}: no local function for \${${unresolved[1]}}`);
    const definition = JSON.parse(text) as StateMachineDefinition;
    // The run's own clock: it starts at the real time the run starts and runs `scale` times faster,
    // so "until two months after shipment" after a two-week wait waits six weeks more, not two months.
    const runStarted = Date.now();
    const runNow = () => runStarted + (Date.now() - runStarted) * scale;
    const handlers: Localized['handlers'] = {};
    const types: Localized['types'] = {};
    const retryIntervals: Localized['retryIntervals'] = {};

    const invoke = async (arn: unknown, payload: unknown): Promise<Json> => {
      const target = byArn.get(String(arn));
      if (!target) throw taskError('Lambda.ResourceNotFoundException', `No local function ${String(arn)}`);
      try {
        return ((await target.handler(payload, lambdaContext(target.name))) ?? null) as Json;
      } catch (error) {
        const failure = error as Error;
        throw taskError(failure.name || 'Error', JSON.stringify({ errorMessage: failure.message, errorType: failure.name }));
      }
    };

    const visit = (states: Record<string, Record<string, unknown>>) => {
      for (const [stateName, state] of Object.entries(states)) {
        types[stateName] = String(state.Type);
        if (Array.isArray(state.Retry) && scale > 1) {
          // Backoff as the first interval, scaled like every other wait (the library's override is flat).
          retryIntervals[stateName] = (state.Retry as { IntervalSeconds?: number }[]).map(
            (retrier) => ((retrier.IntervalSeconds ?? 1) * 1000) / scale,
          );
        }
        if (state.Type === 'Parallel') {
          for (const branch of state.Branches as { States: Record<string, Record<string, unknown>> }[]) visit(branch.States);
        }
        if (state.Type === 'Map') {
          const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> };
          visit(processor.States);
        }
        if (state.Type === 'Wait') {
          const { Seconds, Timestamp, SecondsPath, TimestampPath } = state as Record<string, string | number | undefined>;
          handlers[stateName] = async (input) => {
            const now = runNow();
            const until =
              Seconds !== undefined
                ? now + Number(Seconds) * 1000
                : SecondsPath !== undefined
                  ? now + Number(pathValue(String(SecondsPath), input)) * 1000
                  : Date.parse(String(Timestamp ?? pathValue(String(TimestampPath), input)));
            if (Number.isNaN(until)) throw taskError('States.Runtime', `${stateName}: no valid time to wait for`);
            await sleep((until - now) / scale, signalFor());
            return input;
          };
          for (const field of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) delete state[field];
          Object.assign(state, { Type: 'Task', Resource: functionArn('local-wait'), ResultPath: null, TimeoutSeconds: noTimeout });
        } else if (state.Type === 'Task') {
          const resource = String(state.Resource);
          if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
            const timeoutSeconds = state.TimeoutSeconds as number | undefined;
            // The interpreter raises the timeout itself, as its own States.Timeout: Retry's
            // States.TaskFailed must not match it, and only the interpreter's error class says so.
            // Node's timers overflow past 24.8 days (and then fire at once): a longer timeout,
            // unscaled, is cut to that; no local run lasts so long.
            state.TimeoutSeconds = timeoutSeconds ? Math.min(timeoutSeconds / scale, noTimeout) : noTimeout;
            handlers[stateName] = async (input) => {
              const params = input as { FunctionName?: string; Payload?: unknown };
              const token = findToken(params.Payload, unclaimed);
              if (!token) throw taskError('States.Runtime', `${stateName}: its Payload must carry $$.Task.Token`);
              unclaimed.delete(token);
              const done = new Promise<Json>((resolve, reject) => {
                const task: ParkedTask = { executionArn: executionArnFor(), stateName, resolve, reject };
                if (timeoutSeconds) {
                  // Bookkeeping only: from now on SendTask* names a timed-out task.
                  task.timer = setTimeout(() => {
                    parked.delete(token);
                    timedOut.add(token);
                  }, Math.min((timeoutSeconds * 1000) / scale, longestTimer));
                }
                parked.set(token, task);
              });
              done.catch(() => undefined); // a timeout may land while the handler still runs
              try {
                await invoke(params.FunctionName, params.Payload);
              } catch (error) {
                // The function failed: no one will answer this token; the task's Retry asks anew.
                const task = parked.get(token);
                if (task) release(token, task);
                throw error;
              }
              return done;
            };
          } else if (resource === 'arn:aws:states:::lambda:invoke') {
            handlers[stateName] = async (input) => {
              const params = input as { FunctionName?: string; Payload?: unknown };
              return { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: await invoke(params.FunctionName, params.Payload) };
            };
          } else if (byArn.has(resource)) {
            handlers[stateName] = (input) => invoke(resource, input);
          } else {
            throw new Error(`${workflow.name}/${stateName}: ${resource} is not a Lambda task; only Lambda tasks run locally`);
          }
        }
      }
    };
    visit(definition.States as unknown as Record<string, Record<string, unknown>>);
    return { definition, handlers, types, retryIntervals };
  };

  const machines = new Map(options.workflows.map((workflow) => [machineArn(workflow.name), workflow]));
  // Fail at start, not at the first execution, if a definition cannot run here.
  for (const workflow of options.workflows) {
    localize(workflow, () => new AbortController().signal, () => '');
  }

  const start = (input: { stateMachineArn?: string; name?: string; input?: string }) => {
    const workflow = machines.get(input.stateMachineArn ?? '');
    if (!workflow) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const name = input.name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const executionArn = `arn:aws:states:${options.region}:${account}:execution:${workflow.name}:${name}`;
    const rawInput = input.input ?? '{}';
    const existing = executions.get(executionArn);
    if (existing) {
      // As on AWS: the same name and input while running is the same execution; otherwise a conflict.
      if (existing.status === 'RUNNING' && existing.input === rawInput) return existing;
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(rawInput) as Json;
    } catch {
      throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const controller = new AbortController();
    const localized = localize(workflow, () => controller.signal, () => executionArn);
    // Scaled timeouts are fractional, which the built-in validation refuses; every ASL file is
    // validated with asl-validator in the tests instead, as written.
    const machine = new StateMachine(localized.definition, { validationOptions: { noValidate: true } });
    const startDate = Date.now() / 1000;
    const context = {
      Execution: { Id: executionArn, Name: name, Input: parsed, StartTime: new Date().toISOString(), RoleArn: `arn:aws:iam::${account}:role/local` },
      StateMachine: { Id: machineArn(workflow.name), Name: workflow.name },
      Task: {
        /** Each read is a new token: Parameters read it once per task they build. */
        get Token() {
          const token = randomBytes(96).toString('base64url');
          unclaimed.add(token);
          return token;
        },
      },
    };
    const run = machine.run(parsed, {
      overrides: { taskResourceLocalHandlers: localized.handlers as never, retryIntervalOverrides: localized.retryIntervals },
      context: context as never,
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn: machineArn(workflow.name),
      name,
      status: 'RUNNING',
      input: rawInput,
      startDate,
      events: [],
      abort: () => {
        controller.abort();
        run.abort();
      },
    };
    executions.set(executionArn, execution);

    const record = (type: string, details: Record<string, unknown> = {}) => {
      const id = execution.events.length + 1;
      execution.events.push({ id, previousEventId: id - 1, timestamp: Date.now() / 1000, type, ...details });
    };
    void (async () => {
      for await (const event of run.eventLogs) {
        const state = 'state' in event ? event.state : undefined;
        const kind = state ? (localized.types[state.name] ?? state.type) : undefined;
        switch (event.type) {
          case 'ExecutionStarted':
            record('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(event.input), roleArn: context.Execution.RoleArn } });
            break;
          case 'StateEntered':
            record(`${kind}StateEntered`, { stateEnteredEventDetails: { name: state!.name, input: JSON.stringify(state!.input) } });
            break;
          case 'StateExited':
            record(`${kind}StateExited`, { stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output ?? null) } });
            break;
          case 'StateFailed':
            record(kind === 'Task' ? 'TaskFailed' : `${kind}StateFailed`, { taskFailedEventDetails: { error: event.Error, cause: String(event.Cause) } });
            break;
          case 'ExecutionSucceeded':
            execution.status = 'SUCCEEDED';
            execution.output = JSON.stringify(event.output ?? null);
            execution.stopDate = Date.now() / 1000;
            record('ExecutionSucceeded', { executionSucceededEventDetails: { output: execution.output } });
            break;
          case 'ExecutionFailed':
          case 'ExecutionTimeout':
            if (execution.status !== 'RUNNING') break;
            execution.status = event.type === 'ExecutionTimeout' ? 'TIMED_OUT' : 'FAILED';
            execution.error = 'Error' in event ? event.Error : 'States.Timeout';
            execution.cause = 'Cause' in event ? String(event.Cause) : 'The execution timed out';
            execution.stopDate = Date.now() / 1000;
            record(event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : 'ExecutionFailed', {
              executionFailedEventDetails: { error: execution.error, cause: execution.cause },
            });
            break;
          case 'StateRetried':
          case 'StateCaught':
          case 'ParallelBranchStarted':
          case 'ParallelBranchSucceeded':
          case 'ParallelBranchFailed':
          case 'MapIterationStarted':
          case 'MapIterationSucceeded':
          case 'MapIterationFailed':
            record(event.type);
            break;
          default:
            break;
        }
      }
    })();
    // The outcome comes from the event log, so history and status always agree.
    run.result.catch(() => undefined);
    return execution;
  };

  /** A stopped run's parked task ends too, so nothing of it (its timers included) outlives it. */
  const release = (token: string, task: ParkedTask) => {
    clearTimeout(task.timer);
    parked.delete(token);
    task.reject(taskError('States.Aborted', 'execution stopped'));
  };

  const find = (executionArn: unknown): Execution => {
    const execution = executions.get(String(executionArn));
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(executionArn)}'`);
    return execution;
  };

  const settle = (token: unknown, outcome: (task: ParkedTask) => void) => {
    const key = String(token ?? '');
    if (timedOut.has(key)) throw new ApiError('TaskTimedOut', 'Task Timed Out');
    const task = parked.get(key);
    if (!task) throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist');
    parked.delete(key);
    clearTimeout(task.timer);
    outcome(task);
  };

  const page = <T>(items: T[], body: { maxResults?: number; nextToken?: string }) => {
    const from = body.nextToken ? Number(Buffer.from(body.nextToken, 'base64url').toString()) : 0;
    const size = body.maxResults && body.maxResults > 0 ? body.maxResults : 100;
    const slice = items.slice(from, from + size);
    return {
      slice,
      nextToken: from + size < items.length ? Buffer.from(String(from + size)).toString('base64url') : undefined,
    };
  };

  const operations: Record<string, (body: Record<string, any>) => unknown> = {
    StartExecution: (body) => {
      const execution = start(body);
      return { executionArn: execution.executionArn, startDate: execution.startDate };
    },
    DescribeExecution: (body) => {
      const { events: _events, abort: _abort, ...execution } = find(body.executionArn);
      return execution;
    },
    ListExecutions: (body) => {
      if (!machines.has(body.stateMachineArn)) throw new ApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      const matching = [...executions.values()]
        .filter((e) => e.stateMachineArn === body.stateMachineArn && (!body.statusFilter || e.status === body.statusFilter))
        .sort((a, b) => b.startDate - a.startDate)
        .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
          executionArn, stateMachineArn, name, status, startDate, stopDate,
        }));
      const { slice, nextToken } = page(matching, body);
      return { executions: slice, nextToken };
    },
    GetExecutionHistory: (body) => {
      const events = [...find(body.executionArn).events];
      if (body.reverseOrder) events.reverse();
      const { slice, nextToken } = page(events, body);
      return { events: slice, nextToken };
    },
    StopExecution: (body) => {
      const execution = find(body.executionArn);
      if (execution.status === 'RUNNING') {
        execution.status = 'ABORTED';
        execution.error = body.error;
        execution.cause = body.cause;
        execution.stopDate = Date.now() / 1000;
        for (const [token, task] of parked) {
          if (task.executionArn === execution.executionArn) release(token, task);
        }
        execution.abort();
        execution.events.push({
          id: execution.events.length + 1,
          previousEventId: execution.events.length,
          timestamp: execution.stopDate,
          type: 'ExecutionAborted',
          executionAbortedEventDetails: { error: body.error, cause: body.cause },
        });
      }
      return { stopDate: execution.stopDate };
    },
    SendTaskSuccess: (body) => {
      let output: Json;
      try {
        output = JSON.parse(String(body.output)) as Json;
      } catch {
        throw new ApiError('InvalidOutput', 'Invalid Output: not JSON');
      }
      settle(body.taskToken, (task) => task.resolve(output));
      return {};
    },
    SendTaskFailure: (body) => {
      settle(body.taskToken, (task) => task.reject(taskError(body.error ?? 'States.TaskFailed', body.cause ?? '')));
      return {};
    },
    SendTaskHeartbeat: (body) => {
      const key = String(body.taskToken ?? '');
      if (timedOut.has(key)) throw new ApiError('TaskTimedOut', 'Task Timed Out');
      if (!parked.has(key)) throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist');
      return {};
    },
    ListStateMachines: () => ({
      stateMachines: [...machines.keys()].map((arn) => ({
        stateMachineArn: arn,
        name: machines.get(arn)!.name,
        type: 'STANDARD',
        creationDate: 0,
      })),
    }),
    DescribeStateMachine: (body) => {
      const workflow = machines.get(body.stateMachineArn);
      if (!workflow) throw new ApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      return {
        stateMachineArn: body.stateMachineArn,
        name: workflow.name,
        status: 'ACTIVE',
        definition: workflow.definition,
        roleArn: `arn:aws:iam::${account}:role/local`,
        type: 'STANDARD',
        creationDate: 0,
      };
    },
  };

  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = operations[target.replace(/^AWSStepFunctions\./, '')];
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      if (!operation) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      reply(200, operation(body));
    } catch (error) {
      if (error instanceof ApiError) reply(400, { __type: error.type, message: error.message });
      else reply(400, { __type: 'ValidationException', message: (error as Error).message });
    }
  });
  const { url, close } = await listen(server, options.host, options.port);
  return {
    url,
    stateMachineArn: machineArn,
    close: async () => {
      for (const [token, task] of parked) release(token, task);
      for (const execution of executions.values()) if (execution.status === 'RUNNING') execution.abort();
      await close();
    },
  };
};
