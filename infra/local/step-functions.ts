import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Context as LambdaContext } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { JSONPath } from 'jsonpath-plus';
import { lambdaContext } from './api-event';
import { listen } from './ports';
import { problemsOf, refuseWhatDiffers } from './step-functions-definition';
import { definitionHash, type Json, openExecutionStore, resumeDefinition, type Spot, type StoredExecution } from './step-functions-store';
import { ApiError, findToken, noTimeout, parkedTasks, sleep, stopped, taskError } from './step-functions-tasks';

/**
 * The Step Functions API on one machine. `aws-local-stepfunctions` interprets the same ASL files
 * the CDK stack deploys; this module gives it what it lacks:
 * - the API (AWS JSON 1.0, as the SDK and the CLI speak it): StartExecution, DescribeExecution,
 *   ListExecutions, GetExecutionHistory (AWS's event types), StopExecution,
 *   SendTaskSuccess/Failure/Heartbeat (HeartbeatSeconds enforced), and Create/Update/Delete/List/
 *   Describe/ValidateStateMachine(Definition), DescribeStateMachineForExecution;
 * - what it would run differently from AWS (JSONata, variables, a distributed Map...) refused by
 *   name; the library's own differences patched (infra/local/patches, README);
 * - Lambda tasks, run in this process by the same handlers (direct ARNs and lambda:invoke);
 * - `.waitForTaskToken`: the token comes from the Context object ($$.Task.Token), the task is
 *   parked until SendTask* names it, and its TimeoutSeconds fails it with States.Timeout;
 * - time scale: every Wait (Seconds, Timestamp and their Paths), every task timeout and every
 *   retry interval runs `timeScale` times faster, so a demo or a test never sleeps real days;
 * - with `dataDir`, executions outlive a restart, as on AWS: each one, its history, where it
 *   stands, its parked token or pending Wait are kept on disk (step-functions-store.ts), and a
 *   running one goes on at start from the state where it stood (see `launch`).
 * Without `dataDir` executions live in memory, as in AWS's own Step Functions Local.
 */

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
  /** Where executions persist; without it they live in memory and a restart forgets them. */
  dataDir?: string;
}

type Execution = StoredExecution;

/** Lets the interpreter's events (nested ones pass through several async hops) reach the run's record. */
const eventsSettle = () => new Promise<void>((resolve) => setImmediate(resolve));

const pathValue = (path: string, json: unknown): unknown => JSONPath({ path, json: json as object, wrap: false });

type States = Record<string, Record<string, unknown>>;
type Handler = (input: Json) => Promise<Json>;

/** What a run's handlers need from it. */
interface RunHooks {
  executionArn: string;
  signal: AbortSignal;
  scale: number;
  /** The run's own clock, in ms. */
  now: () => number;
  /** A task parked its token (deadline on the run's clock): the run must keep it before anyone hears of it. */
  parkedAt: (stateName: string, token: string, deadline: number | undefined) => Promise<void>;
  /** A Wait began (until on the run's clock). */
  waitingAt: (stateName: string, until: number) => Promise<void>;
}

interface Localized {
  definition: StateMachineDefinition;
  handlers: Record<string, Handler>;
  /** The state's type as written in the ASL (Waits run as tasks here). */
  types: Record<string, string>;
  /** For a state inside a Parallel or a Map (one level down): that state, and which branch of a Parallel. */
  scopes: Record<string, { container: string; branch?: number }>;
  /** States inside a branch whose exit ends the branch. */
  ends: Set<string>;
  /** A Map or Parallel inside a branch: resuming there starts that inner state over. */
  deeplyNested: string[];
  /** Fail states with neither Error nor ErrorPath: on AWS the execution then fails with no error. */
  silentFails: Set<string>;
  /** Each Task state's Resource, as written. */
  resources: Record<string, string>;
}

export const startLocalStepFunctions = async (options: LocalStepFunctionsOptions) => {
  const account = options.account ?? '000000000000';
  const timeScale = options.timeScale && options.timeScale > 0 ? options.timeScale : 1;
  const machineArn = (name: string) => `arn:aws:states:${options.region}:${account}:stateMachine:${name}`;
  const functionArn = (name: string) => `arn:aws:lambda:${options.region}:${account}:function:${name}`;
  const store = options.dataDir ? openExecutionStore(options.dataDir) : undefined;
  const executions = new Map<string, Execution>();
  const aborts = new Map<string, () => void>();
  const tasks = parkedTasks();
  const { parked, unclaimed, park, release } = tasks;
  const definitions = new Map<string, string>();

  // Writes gather until the current burst of events is over, so a file never holds a half-taken step.
  const dirty = new Set<Execution>();
  let flushing: NodeJS.Immediate | undefined;
  let closing = false;
  const flush = () => {
    clearImmediate(flushing);
    flushing = undefined;
    for (const execution of dirty) store?.save(execution);
    dirty.clear();
  };
  const save = (execution: Execution) => {
    if (!store || closing) return;
    dirty.add(execution);
    flushing ??= setImmediate(flush);
  };

  /** Rewrites a definition for the interpreter, keeping every state's name and transitions. */
  /** The definition as deployed: each `${Name}` replaced by its function's ARN, as the CDK stack fills it. */
  const filled = (workflow: LocalWorkflow, definition = workflow.definition) =>
    Object.keys(workflow.functions).reduce((text, name) => text.replaceAll(`\${${name}}`, functionArn(name)), definition);

  const localize = (workflow: LocalWorkflow, run: RunHooks): Localized => {
    const text = filled(workflow);
    const byArn = new Map<string, { name: string; handler: TaskHandler }>();
    for (const [name, handler] of Object.entries(workflow.functions)) byArn.set(functionArn(name), { name, handler });
    const unresolved = /\$\{(\w+)\}/.exec(text);
    if (unresolved) throw new Error(`${workflow.name}: no local function for \${${unresolved[1]}}`);
    const definition = JSON.parse(text) as StateMachineDefinition;
    const { scale } = run;
    refuseWhatDiffers(workflow.name, definition as unknown as Record<string, unknown>);
    const localized: Localized = {
      definition,
      handlers: {},
      types: {},
      scopes: {},
      ends: new Set(),
      deeplyNested: [],
      silentFails: new Set(),
      resources: {},
    };
    const { handlers, types } = localized;

    const invoke = async (arn: unknown, payload: unknown): Promise<Json> => {
      // A stopped run's Retry still calls again (the interpreter's retry sleep ends at once): no side effects then.
      if (run.signal.aborted) throw stopped();
      const target = byArn.get(String(arn));
      if (!target) throw taskError('Lambda.ResourceNotFoundException', `No local function ${String(arn)}`);
      try {
        return ((await target.handler(payload, lambdaContext(target.name))) ?? null) as Json;
      } catch (error) {
        const failure = error as Error;
        throw taskError(failure.name || 'Error', JSON.stringify({ errorMessage: failure.message, errorType: failure.name }));
      }
    };

    const visit = (states: States, depth: number, container?: string, branch?: number) => {
      for (const [stateName, state] of Object.entries(states)) {
        types[stateName] = String(state.Type);
        if (state.Type === 'Task') localized.resources[stateName] = String(state.Resource);
        if (container) {
          if (depth === 1) localized.scopes[stateName] = { container, branch };
          if (state.End === true || state.Type === 'Succeed') localized.ends.add(stateName);
        }
        if ((state.Type === 'Parallel' || state.Type === 'Map') && depth > 0) localized.deeplyNested.push(stateName);
        if (state.Type === 'Fail' && !('Error' in state) && !('ErrorPath' in state)) localized.silentFails.add(stateName);
        if (state.Type === 'Parallel') {
          (state.Branches as { States: States }[]).forEach((inner, index) => {
            visit(inner.States, depth + 1, stateName, index);
          });
        }
        if (state.Type === 'Map') {
          const processor = (state.ItemProcessor ?? state.Iterator) as { States: States };
          visit(processor.States, depth + 1, stateName);
        }
        if (state.Type === 'Wait') {
          const { Seconds, Timestamp, SecondsPath, TimestampPath } = state as Record<string, string | number | undefined>;
          handlers[stateName] = async (input) => {
            if (run.signal.aborted) throw stopped();
            const now = run.now();
            const until =
              Seconds !== undefined
                ? now + Number(Seconds) * 1000
                : SecondsPath !== undefined
                  ? now + Number(pathValue(String(SecondsPath), input)) * 1000
                  : Date.parse(String(Timestamp ?? pathValue(String(TimestampPath), input)));
            if (Number.isNaN(until)) throw taskError('States.Runtime', `${stateName}: no valid time to wait for`);
            await run.waitingAt(stateName, until);
            await sleep((until - run.now()) / scale, run.signal);
            return input;
          };
          for (const field of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) delete state[field];
          Object.assign(state, { Type: 'Task', Resource: functionArn('local-wait'), ResultPath: null, TimeoutSeconds: noTimeout });
        } else if (state.Type === 'Task') {
          const resource = String(state.Resource);
          if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
            const timeoutSeconds = state.TimeoutSeconds as number | undefined;
            const heartbeatSeconds = state.HeartbeatSeconds as number | undefined;
            delete state.HeartbeatSeconds; // enforced here, on the run's clock
            // The interpreter raises the timeout itself, as its own States.Timeout: Retry's
            // States.TaskFailed must not match it, and only the interpreter's error class says so.
            // Node's timers overflow past 24.8 days (and then fire at once): a longer timeout,
            // unscaled, is cut to that; no local run lasts so long.
            state.TimeoutSeconds = timeoutSeconds ? Math.min(timeoutSeconds / scale, noTimeout) : noTimeout;
            handlers[stateName] = async (input) => {
              if (run.signal.aborted) throw stopped();
              const params = input as { FunctionName?: string; Payload?: unknown };
              const token = findToken(params.Payload, unclaimed);
              if (!token) throw taskError('States.Runtime', `${stateName}: its Payload must carry $$.Task.Token`);
              unclaimed.delete(token);
              const done = park(
                token,
                run.executionArn,
                stateName,
                timeoutSeconds ? (timeoutSeconds * 1000) / scale : undefined,
                heartbeatSeconds ? (heartbeatSeconds * 1000) / scale : undefined,
              );
              done.catch(() => undefined); // a timeout may land while the handler still runs
              try {
                // On disk before the function sends the token anywhere, so no link outlives a restart.
                await run.parkedAt(stateName, token, timeoutSeconds ? run.now() + timeoutSeconds * 1000 : undefined);
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
    visit(definition.States as unknown as States, 0);
    return localized;
  };

  const machines = new Map(options.workflows.map((workflow) => [machineArn(workflow.name), workflow]));
  const idle: RunHooks = {
    executionArn: '',
    signal: new AbortController().signal,
    scale: timeScale,
    now: Date.now,
    parkedAt: async () => undefined,
    waitingAt: async () => undefined,
  };
  // Fail at start, not at the first execution, if a definition cannot run here.
  for (const workflow of options.workflows) {
    const { deeplyNested } = localize(workflow, idle);
    if (store && deeplyNested.length) {
      console.warn(
        `[stepfunctions] ${workflow.name}: ${deeplyNested.join(', ')} sit inside a Parallel or Map branch; ` +
          'a run stopped within them goes on from the start of that state after a restart, repeating its finished tasks (AWS would not)',
      );
    }
    definitions.set(definitionHash(workflow.definition), workflow.definition);
  }

  const record = (execution: Execution, type: string, details: Record<string, unknown> = {}) => {
    const id = execution.events.length + 1;
    execution.events.push({ id, previousEventId: id - 1, timestamp: Date.now() / 1000, type, ...details });
  };

  /** Ends a run that cannot go on after a restart, saying why, rather than leave it RUNNING forever. */
  const failOnResume = (execution: Execution, cause: string) => {
    console.warn(`[stepfunctions] ${execution.executionArn} cannot go on: ${cause}`);
    execution.status = 'FAILED';
    execution.error = 'States.Runtime';
    execution.cause = `Local restart: ${cause}`;
    execution.stopDate = Date.now() / 1000;
    delete execution.position;
    record(execution, 'ExecutionFailed', { executionFailedEventDetails: { error: execution.error, cause: execution.cause } });
    save(execution);
  };

  /**
   * Runs an execution: from its start, or (after a restart) from its recorded position, through a
   * derived definition whose StartAt is a copy of the state where it stood (resumeDefinition). The
   * copy of a parked task parks the same token again, with what is left of its timeout; the copy of
   * a Wait sleeps until the recorded time on the run's clock; tasks that had finished do not run.
   */
  const launch = (execution: Execution, workflow: LocalWorkflow, from?: Spot) => {
    const controller = new AbortController();
    const scale = execution.timeScale;
    const executionArn = execution.executionArn;
    // The run's own clock: it starts when the run starts and runs `scale` times faster, so "until two
    // months after shipment" after a two-week wait waits six weeks more, not two months. It keeps
    // going while the stack is down: a Wait due meanwhile ends at once after a restart.
    const runStarted = execution.startDate * 1000;
    const now = () => runStarted + (Date.now() - runStarted) * scale;

    /** The spots standing at a state: the run's own, or its branches' and iterations'. */
    const spotsAt = (stateName: string): Spot[] => {
      const position = execution.position;
      if (!position) return [];
      const scope = localized.scopes[stateName];
      if (!scope) return position.state === stateName ? [position] : [];
      if (position.state !== scope.container) return [];
      return Object.values(position.inner ?? {}).filter((spot): spot is Spot => 'state' in spot && spot.state === stateName);
    };
    const localized = localize(workflow, {
      executionArn,
      signal: controller.signal,
      scale,
      now,
      parkedAt: async (stateName, token, deadline) => {
        if (!store) return;
        await eventsSettle();
        // A retry parks anew at the same spot; iterations parked at the same state pair in order.
        const spot = spotsAt(stateName).find((candidate) => !candidate.token || !parked.has(candidate.token));
        if (spot) Object.assign(spot, { token, deadline });
        save(execution);
        if (!closing) flush();
      },
      waitingAt: async (stateName, until) => {
        if (!store) return;
        await eventsSettle();
        const spot = spotsAt(stateName).find((candidate) => candidate.until === undefined);
        if (spot) spot.until = until;
        save(execution);
      },
    });

    let definition = localized.definition;
    const handlers = { ...localized.handlers };
    let aliases = new Map<string, string | null>();
    if (from) {
      const resumed = resumeDefinition(localized.definition, from);
      definition = resumed.definition;
      aliases = resumed.aliases;
      for (const [name, give] of Object.entries(resumed.entries)) handlers[name] = async (input) => give(input);
      for (const { name, original, state, spot } of resumed.copies) {
        const again = localized.handlers[original];
        if (!again) continue;
        let first = true;
        if (spot.token) {
          const token = spot.token;
          const left = spot.deadline === undefined ? undefined : (spot.deadline - now()) / scale;
          // The interpreter's timeout of this copy is what was left of the original's (at once if past).
          state.TimeoutSeconds = left === undefined ? noTimeout : Math.min(Math.max(left / 1000, 0.001), noTimeout);
          handlers[name] = async (input) => {
            // Only the first call is the parked task; a Retry of it asks anew, as the original would.
            if (!first) return again(input);
            first = false;
            if (controller.signal.aborted) throw stopped();
            return park(token, executionArn, original, left);
          };
        } else if (spot.until !== undefined) {
          const until = spot.until;
          handlers[name] = async (input) => {
            if (!first) return again(input);
            first = false;
            await sleep((until - now()) / scale, controller.signal);
            return input;
          };
        } else {
          // A Lambda task cut off mid-call, or a person's step not yet asked: it runs (again).
          handlers[name] = again;
        }
      }
    }

    // Scaled timeouts are fractional, which the built-in validation refuses; every ASL file is
    // validated with asl-validator in the tests instead, as written.
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const context = {
      Execution: {
        Id: executionArn,
        Name: execution.name,
        Input: JSON.parse(execution.input) as Json,
        StartTime: new Date(runStarted).toISOString(),
        RoleArn: `arn:aws:iam::${account}:role/local`,
      },
      StateMachine: { Id: execution.stateMachineArn, Name: workflow.name },
      Task: {
        /** Each read is a new token: Parameters read it once per task they build. */
        get Token() {
          const token = randomBytes(96).toString('base64url');
          unclaimed.add(token);
          return token;
        },
      },
    };
    const run = machine.run(from ? from.input : (JSON.parse(execution.input) as Json), {
      // timeScale: retries wait IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, with jitter, all scaled (patched in).
      overrides: { taskResourceLocalHandlers: handlers as never, timeScale: scale } as never,
      context: context as never,
    });
    aborts.set(executionArn, () => {
      controller.abort();
      run.abort();
    });

    /** Where the run stands, from the interpreter's events: what a restart goes on from. */
    const track = (type: string, name: string, data: { input?: Json; output?: Json; index?: number }) => {
      const scope = localized.scopes[name];
      if (!scope) {
        if (type === 'StateEntered') execution.position = { state: name, input: data.input ?? null };
        else if (type === 'StateCaught' && execution.position?.state === name) execution.position.caught = true;
        return;
      }
      const position = execution.position;
      if (!position || position.state !== scope.container) return; // a late event of a container already left
      const key = String(scope.branch ?? data.index);
      const inner = (position.inner ??= {});
      const spot = inner[key];
      if (type === 'StateEntered') inner[key] = { state: name, input: data.input ?? null };
      else if (type === 'StateCaught' && spot && 'state' in spot) spot.caught = true;
      else if (type === 'StateExited' && localized.ends.has(name) && !(spot && 'caught' in spot && spot.caught)) {
        inner[key] = { output: data.output ?? null };
      }
    };

    // After a restart, what happened before it is in the history already: the restarted run's own
    // start, the entering of the states it goes on in, and the branches that had begun or finished.
    const before = from?.inner ?? {};
    const resumedContainer = from && [...aliases].find(([, original]) => original === from.state)?.[0];
    const resuming = execution.events.length > 0;

    /** What a Task event names: a Lambda invocation, as AWS writes it for these tasks. */
    const taskResource = (stateName: string) => {
      const resource = String(localized.resources[stateName] ?? '');
      const waits = resource.endsWith('.waitForTaskToken');
      return resource.startsWith('arn:aws:states:::')
        ? { resourceType: 'lambda', resource: waits ? 'invoke.waitForTaskToken' : 'invoke' }
        : { resourceType: 'lambda', resource: resource.split(':').at(-1) ?? resource };
    };
    const recordTaskStarted = (stateName: string) => {
      if (localized.types[stateName] !== 'Task') return;
      record(execution, 'TaskScheduled', { taskScheduledEventDetails: { ...taskResource(stateName), region: options.region } });
      record(execution, 'TaskStarted', { taskStartedEventDetails: taskResource(stateName) });
    };
    /** The run failed at a Fail state that names no error: AWS then reports none (the interpreter says FailStateError). */
    let silentFailure = false;
    void (async () => {
      for await (const event of run.eventLogs) {
        if (closing) return; // a stop of the stack is not an end of its runs
        const raw = 'state' in event ? event.state : undefined;
        const alias = raw ? aliases.get(raw.name) : undefined;
        if (alias === null) continue; // an entry state of a restarted run
        const name = raw ? (alias ?? raw.name) : undefined;
        const kind = name ? (localized.types[name] ?? raw!.type) : undefined;
        const index = 'index' in event ? event.index : undefined;
        const parent = 'parentState' in event ? event.parentState.name : undefined;
        // A restarted state keeps its recorded spot (token, Wait, branches): it was entered before.
        const reentered = event.type === 'StateEntered' && alias;
        if (name && !reentered && execution.status === 'RUNNING')
          track(event.type, name, { input: raw!.input, output: raw!.output, index });
        switch (event.type) {
          case 'ExecutionStarted':
            if (resuming) break;
            record(execution, 'ExecutionStarted', {
              executionStartedEventDetails: { input: JSON.stringify(event.input), roleArn: context.Execution.RoleArn },
            });
            break;
          // History as AWS writes it: the event types of GetExecutionHistory, not the interpreter's own.
          case 'StateEntered':
            if (reentered) break;
            record(execution, `${kind}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(raw!.input) } });
            if (kind === 'Map' || kind === 'Parallel') record(execution, `${kind}StateStarted`);
            if (kind === 'Task') recordTaskStarted(name!);
            break;
          case 'StateExited':
            if (kind === 'Map' || kind === 'Parallel') record(execution, `${kind}StateSucceeded`);
            if (kind === 'Task')
              record(execution, 'TaskSucceeded', {
                taskSucceededEventDetails: { ...taskResource(name!), output: JSON.stringify(raw!.output ?? null) },
              });
            record(execution, `${kind}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(raw!.output ?? null) } });
            break;
          case 'StateFailed':
            silentFailure = kind === 'Fail' && localized.silentFails.has(name!);
            if (kind === 'Task') {
              const timedOutTask = event.Error === 'States.Timeout' || event.Error === 'States.HeartbeatTimeout';
              record(execution, timedOutTask ? 'TaskTimedOut' : 'TaskFailed', {
                [timedOutTask ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: {
                  ...taskResource(name!),
                  error: event.Error,
                  cause: String(event.Cause),
                },
              });
            } else if (kind === 'Map' || kind === 'Parallel') {
              record(execution, `${kind}StateFailed`);
            }
            break;
          case 'StateRetried':
            // AWS has no retry event: the task is scheduled and started again.
            if (kind === 'Task') recordTaskStarted(name!);
            break;
          case 'ExecutionSucceeded':
            execution.status = 'SUCCEEDED';
            execution.output = JSON.stringify(event.output ?? null);
            execution.stopDate = Date.now() / 1000;
            delete execution.position;
            record(execution, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: execution.output } });
            break;
          case 'ExecutionFailed':
          case 'ExecutionTimeout':
            if (execution.status !== 'RUNNING') break;
            execution.status = event.type === 'ExecutionTimeout' ? 'TIMED_OUT' : 'FAILED';
            execution.error = silentFailure ? undefined : 'Error' in event ? event.Error : 'States.Timeout';
            execution.cause = silentFailure ? undefined : 'Cause' in event ? String(event.Cause) : 'The execution timed out';
            execution.stopDate = Date.now() / 1000;
            delete execution.position;
            record(execution, event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : 'ExecutionFailed', {
              executionFailedEventDetails: { error: execution.error, cause: execution.cause },
            });
            break;
          case 'MapIterationStarted':
          case 'MapIterationSucceeded':
            if (parent === resumedContainer && index !== undefined && before[index]) {
              if (event.type === 'MapIterationStarted' || 'output' in before[index]) break;
            }
            record(execution, event.type, {
              [`${event.type === 'MapIterationStarted' ? 'mapIterationStarted' : 'mapIterationSucceeded'}EventDetails`]: {
                name: parent,
                index,
              },
            });
            break;
          case 'MapIterationFailed':
            record(execution, event.type, { mapIterationFailedEventDetails: { name: parent, index } });
            break;
          // The interpreter's StateCaught and ParallelBranch* events have no AWS counterpart: not in the history.
          default:
            break;
        }
        save(execution);
      }
    })();
    // The outcome comes from the event log, so history and status always agree.
    run.result.catch(() => undefined);
  };

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
    try {
      JSON.parse(rawInput);
    } catch {
      throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machineArn(workflow.name),
      name,
      status: 'RUNNING',
      input: rawInput,
      startDate: Date.now() / 1000,
      events: [],
      timeScale,
      definition: store ? store.keepDefinition(workflow.definition) : definitionHash(workflow.definition),
    };
    launch(execution, workflow);
    executions.set(executionArn, execution);
    save(execution);
    return execution;
  };

  const find = (executionArn: unknown): Execution => {
    const execution = executions.get(String(executionArn));
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(executionArn)}'`);
    return execution;
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
      const { executionArn, stateMachineArn, name, status, input, output, error, cause, startDate, stopDate } = find(body.executionArn);
      return { executionArn, stateMachineArn, name, status, input, output, error, cause, startDate, stopDate };
    },
    ListExecutions: (body) => {
      if (!machines.has(body.stateMachineArn)) throw new ApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      const matching = [...executions.values()]
        .filter((e) => e.stateMachineArn === body.stateMachineArn && (!body.statusFilter || e.status === body.statusFilter))
        .sort((a, b) => b.startDate - a.startDate)
        .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
          executionArn,
          stateMachineArn,
          name,
          status,
          startDate,
          stopDate,
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
        delete execution.position;
        for (const [token, task] of parked) {
          if (task.executionArn === execution.executionArn) release(token, task);
        }
        aborts.get(execution.executionArn)?.();
        record(execution, 'ExecutionAborted', { executionAbortedEventDetails: { error: body.error, cause: body.cause } });
        save(execution);
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
      tasks.settle(body.taskToken, (task) => task.resolve(output));
      return {};
    },
    SendTaskFailure: (body) => {
      tasks.settle(body.taskToken, (task) => task.reject(taskError(body.error ?? 'States.TaskFailed', body.cause ?? '')));
      return {};
    },
    SendTaskHeartbeat: (body) => {
      tasks.heartbeat(body.taskToken);
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
        definition: filled(workflow),
        roleArn: `arn:aws:iam::${account}:role/local`,
        type: 'STANDARD',
        creationDate: 0,
      };
    },
    DescribeStateMachineForExecution: (body) => {
      const execution = find(body.executionArn);
      const workflow = machines.get(execution.stateMachineArn);
      const text = store?.definition(execution.definition) ?? definitions.get(execution.definition);
      if (!workflow || !text) throw new ApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      return {
        stateMachineArn: execution.stateMachineArn,
        name: workflow.name,
        definition: filled(workflow, text),
        roleArn: `arn:aws:iam::${account}:role/local`,
        updateDate: execution.startDate,
      };
    },
    ValidateStateMachineDefinition: (body) => {
      const diagnostics = problemsOf(String(body.definition ?? ''), `${body.type ?? 'STANDARD'}`);
      return { result: diagnostics.length ? 'FAIL' : 'OK', diagnostics };
    },
    CreateStateMachine: (body) => {
      const name = String(body.name ?? '');
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
      const definition = String(body.definition ?? '');
      const problem = problemsOf(definition, String(body.type ?? 'STANDARD'))[0];
      if (problem) throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${problem.code}: ${problem.message}'`);
      const arn = machineArn(name);
      const existing = machines.get(arn);
      // As on AWS: the same name with the same definition is the same state machine.
      if (existing && existing.definition !== definition)
        throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      const workflow: LocalWorkflow = { name, definition, functions: {} };
      try {
        localize(workflow, idle);
      } catch (error) {
        throw new ApiError('InvalidDefinition', (error as Error).message);
      }
      machines.set(arn, workflow);
      definitions.set(definitionHash(definition), definition);
      return { stateMachineArn: arn, creationDate: Date.now() / 1000 };
    },
    UpdateStateMachine: (body) => {
      const workflow = machines.get(body.stateMachineArn);
      if (!workflow) throw new ApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      if (body.definition === undefined) return { updateDate: Date.now() / 1000 };
      const definition = String(body.definition);
      const problem = problemsOf(definition, 'STANDARD')[0];
      if (problem) throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${problem.code}: ${problem.message}'`);
      const updated = { ...workflow, definition };
      try {
        localize(updated, idle);
      } catch (error) {
        throw new ApiError('InvalidDefinition', (error as Error).message);
      }
      // Running executions keep the definition they started with, as on AWS.
      machines.set(body.stateMachineArn, updated);
      definitions.set(definitionHash(definition), definition);
      return { updateDate: Date.now() / 1000 };
    },
    DeleteStateMachine: (body) => {
      machines.delete(body.stateMachineArn);
      return {};
    },
  };

  if (store) {
    let resumed = 0;
    for (const execution of store.load()) {
      executions.set(execution.executionArn, execution);
      if (execution.status !== 'RUNNING') continue;
      const workflow = machines.get(execution.stateMachineArn);
      const text = store.definition(execution.definition) ?? definitions.get(execution.definition);
      if (!workflow) {
        failOnResume(execution, 'its state machine is no longer defined here');
        continue;
      }
      if (!text) {
        failOnResume(execution, 'the definition it started with is missing from the data directory');
        continue;
      }
      try {
        launch(execution, { ...workflow, definition: text }, execution.position);
        resumed += 1;
      } catch (error) {
        failOnResume(execution, (error as Error).message);
      }
    }
    console.warn(
      `[stepfunctions] executions persist in ${store.dir}; ${resumed} running one(s) resumed. Unlike AWS, on a restart ` +
        "a Lambda task cut off mid-call runs again, Retry attempts count from zero, and a resumed run's " +
        '$$.Execution.Input and StartTime are those of the state it goes on from',
    );
  }

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
      // What is on disk stays as it stood: nothing the stopping runs do from here is recorded.
      flush();
      closing = true;
      for (const [token, task] of parked) release(token, task);
      for (const execution of executions.values()) if (execution.status === 'RUNNING') aborts.get(execution.executionArn)?.();
      await close();
    },
  };
};
