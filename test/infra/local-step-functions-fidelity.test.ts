import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskHeartbeatCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStepFunctions } from '../../infra/local/step-functions';
import { waitFor } from '../fixtures/waiting';

/**
 * The local Step Functions endpoint against what AWS documents (the Amazon States Language
 * specification and the Step Functions developer guide's worked examples): small public workflows
 * created through the API, run, and their outputs and histories compared with AWS's. Where the
 * stand-in cannot do what AWS does, it must refuse and name the feature.
 */
let endpoint: Awaited<ReturnType<typeof startLocalStepFunctions>>;
let sfn: SFNClient;
const calls: { attempt: number; at: number; payload: unknown }[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  endpoint = await startLocalStepFunctions({
    host: '127.0.0.1',
    port: 0,
    region: 'eu-west-2',
    timeScale: 10,
    workflows: [
      {
        // A Lambda that fails as often as told, then answers; and one whose token nobody answers.
        name: 'flaky',
        definition: JSON.stringify({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              Resource: '${Flaky}',
              Retry: [
                { ErrorEquals: ['Flaky'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 4, MaxAttempts: 3, JitterStrategy: 'NONE' },
              ],
              End: true,
            },
          },
        }),
        functions: {
          Flaky: async (payload) => {
            calls.push({ attempt: calls.length, at: Date.now(), payload });
            if (failuresLeft-- > 0) throw Object.assign(new Error('not yet'), { name: 'Flaky' });
            return { ok: true };
          },
        },
      },
      {
        name: 'waits-for-a-person',
        definition: JSON.stringify({
          StartAt: 'Ask',
          States: {
            Ask: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: {
                FunctionName: '${Asker}',
                Payload: { 'token.$': '$$.Task.Token', 'again.$': '$$.Task.Token', 'state.$': '$$.State.Name' },
              },
              HeartbeatSeconds: 3,
              Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.missed', Next: 'Missed' }],
              End: true,
            },
            Missed: { Type: 'Pass', End: true },
          },
        }),
        functions: {
          Asker: async (payload) => {
            calls.push({ attempt: -1, at: Date.now(), payload });
            return {};
          },
        },
      },
    ],
  });
  sfn = new SFNClient({ endpoint: endpoint.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(() => endpoint.close());

const create = async (name: string, definition: unknown) =>
  (
    await sfn.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/local' }),
    )
  ).stateMachineArn!;

const run = async (stateMachineArn: string, input: unknown) => {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  const done = await waitFor(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return {
    ...done,
    executionArn: executionArn!,
    output: done.output ? JSON.parse(done.output) : undefined,
    types: events!.map((event) => event.type),
  };
};

describe('the local Step Functions endpoint does what AWS documents', () => {
  it('ResultPath: "$" replaces the input with the result; "$.x" adds it; null keeps the input', async () => {
    // The developer guide's ResultPath examples, with a Pass state's Result standing for the task's.
    const input = { comment: 'An input comment.', data: { val1: 23, val2: 17 } };
    const result = { answer: 42 };
    const arn = await create('result-path', {
      StartAt: 'Whole',
      States: {
        Whole: { Type: 'Pass', Result: result, ResultPath: '$', Next: 'Restore' },
        Restore: { Type: 'Pass', Result: input, ResultPath: '$', Next: 'Added' },
        Added: { Type: 'Pass', Result: result, ResultPath: '$.taskresult', Next: 'Kept' },
        Kept: { Type: 'Pass', Result: 'discarded', ResultPath: null, End: true },
      },
    });
    const { status, output } = await run(arn, input);
    expect(status).toBe('SUCCEEDED');
    expect(output).toEqual({ ...input, taskresult: result });
    const whole = await create('result-path-whole', {
      StartAt: 'Whole',
      States: { Whole: { Type: 'Pass', Result: result, ResultPath: '$', End: true } },
    });
    expect((await run(whole, input)).output).toEqual(result);
  });

  it('the Context object has the state: $$.State.Name, EnteredTime and RetryCount; and a Map item its index and value', async () => {
    const arn = await create('context-object', {
      StartAt: 'Describe',
      States: {
        Describe: {
          Type: 'Pass',
          Parameters: {
            'name.$': '$$.State.Name',
            'entered.$': '$$.State.EnteredTime',
            'retries.$': '$$.State.RetryCount',
            'execution.$': '$$.Execution.Name',
          },
          End: true,
        },
      },
    });
    const before = Date.now();
    const { status, output } = await run(arn, {});
    expect(status).toBe('SUCCEEDED');
    expect(output).toMatchObject({ name: 'Describe', retries: 0, execution: expect.any(String) });
    expect(Date.parse(output.entered)).toBeGreaterThanOrEqual(before - 1000);
    const map = await create('map-context', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
          ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    expect((await run(map, { items: ['a', 'b'] })).output).toEqual([
      { index: 0, value: 'a' },
      { index: 1, value: 'b' },
    ]);
  });

  it('intrinsic functions give the results the specification lists', async () => {
    const arn = await create('intrinsics', {
      StartAt: 'Compute',
      States: {
        Compute: {
          Type: 'Pass',
          Parameters: {
            'greeting.$': "States.Format('Hello, my name is {}.', $.name)",
            'items.$': 'States.Array($.a, $.b)',
            'length.$': 'States.ArrayLength($.list)',
            'sum.$': 'States.MathAdd($.a, $.b)',
            'parts.$': "States.StringSplit($.csv, ',')",
          },
          End: true,
        },
      },
    });
    const { output } = await run(arn, { name: 'Arnav', a: 111, b: -1, list: [1, 2, 3], csv: '1,2,3' });
    expect(output).toEqual({ greeting: 'Hello, my name is Arnav.', items: [111, -1], length: 3, sum: 110, parts: ['1', '2', '3'] });
  });

  it('a Fail state without Error or Cause fails the execution with neither, and is not a state that failed', async () => {
    const arn = await create('silent-fail', { StartAt: 'Stop', States: { Stop: { Type: 'Fail' } } });
    const done = await run(arn, {});
    expect(done.status).toBe('FAILED');
    expect(done.error).toBeUndefined();
    expect(done.cause).toBeUndefined();
    expect(done.types).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    const named = await create('named-fail', { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Refused', Cause: 'Because' } } });
    expect(await run(named, {})).toMatchObject({ status: 'FAILED', error: 'Refused', cause: 'Because' });
  });

  it('the history uses AWS event types: Task, Parallel and Map states as GetExecutionHistory names them', async () => {
    const arn = await create('history-types', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
            { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
          ],
          Next: 'Each',
        },
        Each: { Type: 'Map', ItemProcessor: { StartAt: 'One', States: { One: { Type: 'Pass', End: true } } }, End: true },
      },
    });
    const { types } = await run(arn, {});
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toEqual(
      expect.arrayContaining([
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
      ]),
    );
    expect(types.filter((type) => /Branch|Retried|Caught/.test(type!))).toEqual([]);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('Retry under a time scale waits IntervalSeconds × BackoffRate^n capped by MaxDelaySeconds, scaled; each attempt is scheduled and started anew', async () => {
    calls.length = 0;
    failuresLeft = 3;
    const done = await run(endpoint.stateMachineArn('flaky'), { order: 1 });
    expect(done.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(4);
    // 2 s, 6 s capped to 4 s, 18 s capped to 4 s: 10 s in all, a second at a time scale of 10.
    const gaps = calls.slice(1).map((call, i) => call.at - calls[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(180);
    expect(gaps[1]).toBeGreaterThanOrEqual(380);
    expect(gaps[1]).toBeLessThan(1500);
    expect(done.types.filter((type) => type === 'TaskScheduled')).toHaveLength(4);
    expect(done.types.filter((type) => type === 'TaskFailed')).toHaveLength(3);
    expect(done.types).toContain('TaskSucceeded');
  });

  it('$$.Task.Token is one token per task however often the Parameters read it, and a missed heartbeat fails the task with States.HeartbeatTimeout', async () => {
    calls.length = 0;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.stateMachineArn('waits-for-a-person'), input: '{}' }),
    );
    const asked = await waitFor(async () => calls[0]);
    const payload = asked.payload as { token: string; again: string; state: string };
    expect(payload.again).toBe(payload.token);
    expect(payload.state).toBe('Ask');
    // A heartbeat within 3 (scaled: 0.3) seconds keeps it; then none, and it is caught as missed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: payload.token }));
    const done = await waitFor(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).missed).toMatchObject({ Error: 'States.HeartbeatTimeout' });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((event) => event.type)).toContain('TaskTimedOut');
  });

  it('describes state machines as deployed: placeholders filled, per execution the definition it ran; validates and updates definitions', async () => {
    const flaky = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: endpoint.stateMachineArn('flaky') }));
    expect(flaky.definition).not.toContain('${');
    expect(JSON.parse(flaky.definition!).States.Call.Resource).toBe('arn:aws:lambda:eu-west-2:000000000000:function:Flaky');

    const arn = await create('updated', { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } });
    const first = await run(arn, {});
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition: JSON.stringify({ StartAt: 'Two', States: { Two: { Type: 'Pass', Result: 2, End: true } } }),
      }),
    );
    expect((await run(arn, {})).output).toBe(2);
    const ran = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: first.executionArn }));
    expect(JSON.parse(ran.definition!).StartAt).toBe('One');

    const ok = await sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } }) }),
    );
    expect(ok.result).toBe('OK');
    const bad = await sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'Nowhere', States: {} }) }),
    );
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics!.length).toBeGreaterThan(0);
  });

  it('refuses, naming the feature, what it would run differently from AWS: JSONata, variables, a distributed Map', async () => {
    const refused = async (definition: unknown) =>
      sfn
        .send(
          new CreateStateMachineCommand({
            name: `refused-${Math.random().toString(36).slice(2, 8)}`,
            definition: JSON.stringify(definition),
            roleArn: 'arn:aws:iam::000000000000:role/local',
          }),
        )
        .then(
          () => 'created',
          (error: Error) => error.message,
        );
    expect(
      await refused({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input %}', End: true } } }),
    ).toMatch(/JSONata/);
    expect(await refused({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } })).toMatch(/variables \(Assign\)/);
    expect(
      await refused({
        StartAt: 'A',
        States: {
          A: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: {} },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'B',
              States: { B: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      }),
    ).toMatch(/distributed Map|not supported/);
    expect(
      await refused({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } }),
    ).toMatch(/only Lambda tasks run locally/);
  });
});
