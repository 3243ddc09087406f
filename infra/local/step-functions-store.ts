import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * What the local Step Functions endpoint keeps on disk so its executions outlive a restart, as
 * AWS keeps them: one JSON file per execution under `<dir>/executions/<state machine>/`, and the
 * ASL each run started with under `<dir>/definitions/` (a run goes on with its own version, as on
 * AWS, even if the file was edited since). Every write is a temp file renamed over the old one,
 * so a kill leaves the last whole copy.
 *
 * And how a run goes on from where it stood: `resumeDefinition` derives a definition that starts
 * at the recorded state with the recorded input, and within a Parallel or a Map, at each branch's
 * or iteration's own state.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** Where a run (or one branch or iteration of it) stands: the state it entered, and that state's raw input. */
export interface Spot {
  state: string;
  input: Json;
  /** A parked `.waitForTaskToken` task: the token people hold, and when it times out on the run's clock (ms). */
  token?: string;
  deadline?: number;
  /** A Wait: when it ends, on the run's clock (ms). */
  until?: number;
  /** The state failed and was caught: its exit is not the branch's end. */
  caught?: boolean;
  /** In a Parallel (by branch number) or a Map (by item index): where each stands, or what it returned. */
  inner?: Record<string, Spot | Finished>;
}

export interface Finished {
  output: Json;
}

export interface StoredExecution {
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
  /** The run's own clock starts at startDate and runs this many times faster, whatever later starts say. */
  timeScale: number;
  /** The hash of the ASL text the run started with. */
  definition: string;
  /** Where a running execution stands; gone once it stops. */
  position?: Spot;
}

export const definitionHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

const writeAtomically = (file: string, text: string) => {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
};

export const openExecutionStore = (dir: string) => {
  const executionsDir = join(dir, 'executions');
  const definitionsDir = join(dir, 'definitions');
  mkdirSync(executionsDir, { recursive: true });
  mkdirSync(definitionsDir, { recursive: true });
  // ...:execution:<state machine>:<name>; both parts are [A-Za-z0-9_-], safe as file names.
  const fileOf = (executionArn: string) => {
    const [machine = '', name = ''] = executionArn.split(':').slice(6);
    return { folder: join(executionsDir, machine), file: join(executionsDir, machine, `${name}.json`) };
  };
  return {
    dir,
    save(execution: StoredExecution) {
      const { folder, file } = fileOf(execution.executionArn);
      mkdirSync(folder, { recursive: true });
      writeAtomically(file, JSON.stringify(execution));
    },
    load(): StoredExecution[] {
      const loaded: StoredExecution[] = [];
      for (const machine of readdirSync(executionsDir, { withFileTypes: true })) {
        if (!machine.isDirectory()) continue;
        for (const file of readdirSync(join(executionsDir, machine.name))) {
          if (!file.endsWith('.json')) continue;
          const path = join(executionsDir, machine.name, file);
          try {
            loaded.push(JSON.parse(readFileSync(path, 'utf8')) as StoredExecution);
          } catch (error) {
            console.warn(`[stepfunctions] ${path} is unreadable, left out: ${(error as Error).message}`);
          }
        }
      }
      return loaded;
    },
    keepDefinition(text: string) {
      const hash = definitionHash(text);
      const file = join(definitionsDir, `${hash}.asl.json`);
      if (!existsSync(file)) writeAtomically(file, text);
      return hash;
    },
    definition(hash: string): string | undefined {
      const file = join(definitionsDir, `${hash}.asl.json`);
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
  };
};

export type ExecutionStore = ReturnType<typeof openExecutionStore>;

type States = Record<string, Record<string, unknown>>;
type Branch = { StartAt: string; States: States; [other: string]: unknown };

/** Added states' names carry this mark, which no ASL file here uses. */
const mark = '⟳';
/** The added states run local handlers; the interpreter needs some Resource. */
const localResource = 'arn:aws:lambda:local:000000000000:function:local-resume';

export interface Resumed {
  definition: StateMachineDefinition;
  /** Each added state: the state it stands for, or null for the entry states that only hand over recorded data. */
  aliases: Map<string, string | null>;
  /** The copies of the states where the run stood, each with its spot: the caller gives them their handlers. */
  copies: { name: string; original: string; state: Record<string, unknown>; spot: Spot }[];
  /** Handlers of the entry states: they return a branch's recorded input, or a finished branch's output. */
  entries: Record<string, (input: Json) => Json>;
}

/**
 * A definition that goes on where the run stood: it starts at a copy of the recorded state (the
 * copy keeps the original's Next, Retry and Catch, so the run carries on through the real states).
 * A Parallel's branches each start at an entry state that hands over the recorded input of the
 * branch's state (then a copy of that state), or the output of a branch that had finished.
 * A Map's items first pass a Choice on the item's index: an iteration that had finished returns its
 * output, one under way goes on from its state, one not begun yet starts as usual.
 * Only one level of Parallel or Map is resumed inside: deeper, the inner branch's Map or Parallel
 * state starts over.
 */
export const resumeDefinition = (definition: StateMachineDefinition, position: Spot): Resumed => {
  const resumed: Resumed = { definition: structuredClone(definition), aliases: new Map(), copies: [], entries: {} };
  const entry = (name: string, give: (input: Json) => Json, next?: string) => {
    resumed.aliases.set(name, null);
    resumed.entries[name] = give;
    return next ? { Type: 'Task', Resource: localResource, Next: next } : { Type: 'Task', Resource: localResource, End: true };
  };

  const copy = (states: States, spot: Spot, suffix: string, depth: number): [string, Record<string, unknown>] => {
    const name = `${spot.state} ${mark}${suffix}`;
    const original = states[spot.state];
    if (!original) throw new Error(`the run stood at "${spot.state}", which its definition no longer has`);
    const state = structuredClone(original);
    resumed.aliases.set(name, spot.state);
    if (depth === 0 && state.Type === 'Parallel') {
      state.Branches = (state.Branches as Branch[]).map((branch, index) => {
        const inner = spot.inner?.[index];
        if (!inner) return branch;
        const start = `${mark} branch${suffix}.${index}`;
        if ('output' in inner) return { StartAt: start, States: { [start]: entry(start, () => inner.output) } };
        const [copyName, copied] = copy(branch.States, inner, `${suffix}.${index}`, depth + 1);
        return {
          ...branch,
          StartAt: start,
          States: { ...branch.States, [copyName]: copied, [start]: entry(start, () => inner.input, copyName) },
        };
      });
    } else if (depth === 0 && state.Type === 'Map') {
      const processorKey = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      const processor = state[processorKey] as Branch;
      // The index rides along with the item, so the first state of each iteration can choose.
      const selector = (state.ItemSelector ?? state.Parameters) as Json | undefined;
      delete state.Parameters;
      state.ItemSelector = {
        'index.$': '$$.Map.Item.Index',
        ...(selector === undefined ? { 'item.$': '$$.Map.Item.Value' } : { item: selector }),
      };
      const route = `${mark} route${suffix}`;
      const fresh = `${mark} fresh${suffix}`;
      const states: States = { ...processor.States, [fresh]: entry(fresh, (input) => (input as { item: Json }).item, processor.StartAt) };
      const choices: Record<string, unknown>[] = [];
      for (const [index, inner] of Object.entries(spot.inner ?? {})) {
        const start = `${mark} item${suffix}.${index}`;
        if ('output' in inner) {
          states[start] = entry(start, () => inner.output);
        } else {
          const [copyName, copied] = copy(processor.States, inner, `${suffix}.${index}`, depth + 1);
          states[copyName] = copied;
          states[start] = entry(start, () => inner.input, copyName);
        }
        choices.push({ Variable: '$.index', NumericEquals: Number(index), Next: start });
      }
      resumed.aliases.set(route, null);
      states[route] = { Type: 'Choice', Choices: choices, Default: fresh };
      state[processorKey] = { ...processor, StartAt: choices.length ? route : fresh, States: states };
    } else {
      resumed.copies.push({ name, original: spot.state, state, spot });
    }
    return [name, state];
  };

  const states = resumed.definition.States as unknown as States;
  const [start, state] = copy(states, position, '', 0);
  states[start] = state;
  resumed.definition.StartAt = start;
  return resumed;
};
