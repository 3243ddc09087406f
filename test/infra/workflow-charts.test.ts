import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { defaultQuoteLimits } from '#domain/quote';
import { stepInput as orderStepInput } from '#functions/orders/workflow-steps';
import { stepInput as quoteStepInput } from '#functions/quotes/workflow-steps';
import { type WorkflowName, workflows } from '#functions/workflows';
import { projectFile } from '#infra/local/project';
import { aslText, days, type State, type States } from '#statemachines/builder';
import { charts } from '#statemachines/generate';

/** What each workflow's one Lambda accepts: every Payload the chart sends must parse with it. */
const stepsSchema: Record<WorkflowName, z.ZodMiniDiscriminatedUnion> = {
  'quote-approval': quoteStepInput,
  'post-shipment': orderStepInput,
};

/** A run's values for the paths the charts read; a new path needs its sample here. */
const samples: Record<string, unknown> = {
  '$.quoteId': 'quote-1',
  '$.orderId': 'order-1',
  '$.approver': 'salesDirector',
  '$$.Task.Token': 'task-token',
  '$.failure': { Error: 'States.TaskFailed', Cause: 'the table was throttled' },
};

/** Every Task state, also inside a Map's iterations and a Parallel's branches. */
const tasksOf = (states: States): [string, State][] =>
  Object.entries(states).flatMap(([name, state]): [string, State][] => {
    if (state.Type === 'Task') return [[name, state]];
    if (state.Type === 'Map') return tasksOf((state.ItemProcessor as { States: States }).States);
    if (state.Type === 'Parallel') return (state.Branches as { States: States }[]).flatMap((branch) => tasksOf(branch.States));
    return [];
  });

const asRun = (payload: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(payload).map(([key, value]) => {
      if (!key.endsWith('.$')) return [key, value];
      expect(samples, `no sample for ${value}`).toHaveProperty([String(value)]);
      return [key.slice(0, -2), samples[String(value)]];
    }),
  );

describe.each(Object.keys(workflows) as WorkflowName[])('the %s chart', (name) => {
  const chart = charts[name];

  it('is what its committed ASL file says (npm run workflows regenerates it)', () => {
    expect(readFileSync(projectFile(workflows[name].definitionFile), 'utf8')).toBe(aslText(chart));
  });

  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(JSON.parse(aslText(chart)));
    expect(isValid, errorsText()).toBe(true);
  });

  it('sends each step a Payload its steps function accepts, and uses every step it has', () => {
    const [substitution] = Object.keys(workflows[name].functions);
    const sent = tasksOf(chart.States).map(([state, task]) => {
      const { FunctionName, Payload } = task.Parameters as { FunctionName: string; Payload: Record<string, unknown> };
      expect(FunctionName, state).toBe(`\${${substitution}}`);
      const parsed = stepsSchema[name].safeParse(asRun(Payload));
      expect(parsed.error, state).toBeUndefined();
      return (parsed.data as { step: string }).step;
    });
    const offered = stepsSchema[name].def.options.map(
      (option) => (option as z.ZodMiniObject<{ step: z.ZodMiniLiteral<string> }>).shape.step.def.values[0],
    );
    expect(new Set(sent)).toEqual(new Set(offered));
  });
});

describe('a person in the quote workflow', () => {
  it("is chased after the quote limits' chaseAfterDays, at every step they are asked (R15-R17)", () => {
    const asks = tasksOf(charts['quote-approval'].States).filter(([, task]) => String(task.Resource).endsWith('.waitForTaskToken'));
    expect(asks.map(([state]) => state)).toHaveLength(7);
    expect(new Set(asks.map(([, task]) => task.TimeoutSeconds))).toEqual(new Set([days(defaultQuoteLimits.chaseAfterDays)]));
  });
});

describe('a step that keeps failing', () => {
  it.each(Object.keys(workflows) as WorkflowName[])(
    '%s: is retried on passing faults, then recorded on its record and the run fails',
    (name) => {
      const { States } = charts[name];
      for (const [state, task] of tasksOf(States)) {
        expect(task.Retry, state).toContainEqual({
          ErrorEquals: ['States.TaskFailed'],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 3,
        });
      }
      // Outside a Map or Parallel, every step but the recording itself ends there; the branches' own states catch for theirs.
      const outside = Object.entries(States).filter(
        ([state, s]) => ['Task', 'Map', 'Parallel'].includes(String(s.Type)) && state !== 'Record the failure',
      );
      for (const [state, s] of outside) {
        expect((s.Catch as { ErrorEquals: string[]; Next: string }[]).at(-1), state).toMatchObject({
          ErrorEquals: ['States.ALL'],
          Next: 'Record the failure',
        });
      }
      expect(States['Record the failure']).toMatchObject({ Next: 'Failed' });
      expect(States.Failed).toMatchObject({ Type: 'Fail' });
    },
  );
});
