import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import aslValidator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { workflows } from '#functions/workflows';
import { projectFile } from '../../infra/local/project';
import { startLocalStepFunctions } from '../../infra/local/step-functions';
import { waitFor } from '../fixtures/waiting';

/**
 * The local Step Functions endpoint, driven by the AWS SDK as the handlers will drive it, with a
 * fixture workflow: a Lambda task, a Wait until a timestamp, a person's answer by task token with
 * a timeout and an escalation. Time runs 86,400 times faster: a day is a second.
 */
const definition = readFileSync(new URL('../fixtures/statemachines/ask-a-person.asl.json', import.meta.url), 'utf8');

type Step = { step: string; ref: string; taskToken?: string };
const steps: Step[] = [];
let endpoint: Awaited<ReturnType<typeof startLocalStepFunctions>>;
let sfn: SFNClient;
let machineArn: string;

beforeAll(async () => {
  endpoint = await startLocalStepFunctions({
    host: '127.0.0.1',
    port: 0,
    region: 'eu-west-2',
    timeScale: 86_400,
    workflows: [
      {
        name: 'ask-a-person',
        definition,
        functions: {
          StepFunction: async (event) => {
            steps.push(event as Step);
            return { ok: true };
          },
        },
      },
    ],
  });
  sfn = new SFNClient({
    endpoint: endpoint.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  machineArn = endpoint.stateMachineArn('ask-a-person');
});

afterAll(() => endpoint.close());
beforeEach(() => {
  steps.length = 0;
});

const askedFor = (ref: string) => waitFor(() => steps.find((s) => s.step === 'ask' && s.ref === ref));
const settledOn = (client: SFNClient, executionArn: string) =>
  waitFor(async () => {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  });
const settled = (executionArn: string) => settledOn(sfn, executionArn);
const start = (ref: string, dueAt: string, name?: string) =>
  sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify({ ref, dueAt }) }));
const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();

describe('the ASL', () => {
  it('the fixture is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(JSON.parse(definition));
    expect(isValid, errorsText()).toBe(true);
  });

  it.each(Object.entries(workflows))('%s is valid Amazon States Language', (_name, workflow) => {
    const { isValid, errorsText } = aslValidator(JSON.parse(readFileSync(projectFile(workflow.definitionFile), 'utf8')));
    expect(isValid, errorsText()).toBe(true);
  });
});

describe('the local Step Functions endpoint', () => {
  it('waits a day in about a second, parks the task until a person answers, then succeeds', async () => {
    const started = Date.now();
    const { executionArn } = await start('yes', inOneDay());
    const ask = await askedFor('yes');
    expect(Date.now() - started).toBeGreaterThan(500); // it did wait, scaled
    expect(steps.map((s) => s.step)).toEqual(['note', 'ask']);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: ask.taskToken }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: JSON.stringify({ ok: true, by: 'sm' }) }));
    const done = await settled(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ ref: 'yes', note: { noted: { ok: true } }, answer: { ok: true, by: 'sm' } });

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('WaitStateEntered');
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(executions!.map((e) => e.executionArn)).toContain(executionArn);
  });

  it('a token answers once: a replay is TaskDoesNotExist', async () => {
    const { executionArn } = await start('replay', new Date(Date.now() - 1000).toISOString());
    const ask = await askedFor('replay');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: '{"ok":true}' }));
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: '{"ok":true}' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    expect((await settled(executionArn!)).status).toBe('SUCCEEDED');
  });

  it('"no" fails the execution with the workflow\'s own error', async () => {
    const { executionArn } = await start('no', new Date().toISOString());
    const ask = await askedFor('no');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: '{"ok":false}' }));
    expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'Refused' });
  });

  it('a task failure sent by a person is caught as the error it names', async () => {
    const { executionArn } = await start('failure', new Date().toISOString());
    const ask = await askedFor('failure');
    await sfn.send(new SendTaskFailureCommand({ taskToken: ask.taskToken, error: 'Withdrawn', cause: 'customer left' }));
    expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'Withdrawn' });
  });

  it('nobody answers within a (scaled) day: the timeout escalates', async () => {
    const { executionArn } = await start('silence', new Date().toISOString());
    const ask = await askedFor('silence');
    const done = await settled(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(steps.map((s) => s.step)).toEqual(['note', 'ask', 'escalate']);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('a named execution starts once: the same input is the same execution, another input a conflict', async () => {
    const name = `order-${Date.now()}`;
    const dueAt = inOneDay();
    const first = await start('named', dueAt, name);
    const again = await start('named', dueAt, name);
    expect(again.executionArn).toBe(first.executionArn);
    await expect(start('other', dueAt, name)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'Cancelled' }));
    expect(await settled(first.executionArn!)).toMatchObject({ status: 'ABORTED' });
  });

  it('refuses what AWS refuses', async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}-nope`, input: '{}' }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{not json' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${machineArn.replace('stateMachine', 'execution')}:missing` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});

describe('timeouts longer than a Node timer can hold', () => {
  it('a 30-day person step at real time waits, rather than timing out at once (Node timers overflow past 24.8 days)', async () => {
    const monthLong = JSON.parse(definition) as { States: Record<string, { Type: string; TimeoutSeconds?: number }> };
    for (const state of Object.values(monthLong.States)) if (state.TimeoutSeconds) state.TimeoutSeconds = 30 * 24 * 60 * 60;
    const asked: Step[] = [];
    const realTime = await startLocalStepFunctions({
      host: '127.0.0.1',
      port: 0,
      region: 'eu-west-2',
      timeScale: 1,
      workflows: [
        {
          name: 'month',
          definition: JSON.stringify(monthLong),
          functions: { StepFunction: async (event) => (asked.push(event as Step), { ok: true }) },
        },
      ],
    });
    try {
      const client = new SFNClient({
        endpoint: realTime.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const { executionArn } = await client.send(
        new StartExecutionCommand({
          stateMachineArn: realTime.stateMachineArn('month'),
          input: JSON.stringify({ ref: 'month', dueAt: new Date().toISOString() }),
        }),
      );
      const ask = await waitFor(() => asked.find((s) => s.step === 'ask'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      await client.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: JSON.stringify({ ok: true }) }));
      expect((await settledOn(client, executionArn!)).status).toBe('SUCCEEDED');
    } finally {
      await realTime.close();
    }
  });

  it("keeps the run's own clock: a wait until day 10 that follows a 10-day wait is already due", async () => {
    // Two waits in a row, as post-shipment has (day 14, then day 60 from the ship date).
    const twoWaits = JSON.stringify({
      StartAt: 'Ten days',
      States: {
        'Ten days': { Type: 'Wait', Seconds: 10 * 86_400, Next: 'Until day ten' },
        'Until day ten': { Type: 'Wait', TimestampPath: '$.dayTen', End: true },
      },
    });
    const fast = await startLocalStepFunctions({
      host: '127.0.0.1',
      port: 0,
      region: 'eu-west-2',
      timeScale: 5 * 86_400,
      workflows: [{ name: 'two-waits', definition: twoWaits, functions: {} }],
    });
    try {
      const client = new SFNClient({
        endpoint: fast.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const began = Date.now();
      const { executionArn } = await client.send(
        new StartExecutionCommand({
          stateMachineArn: fast.stateMachineArn('two-waits'),
          input: JSON.stringify({ dayTen: new Date(began + 10 * 86_400_000).toISOString() }),
        }),
      );
      expect((await settledOn(client, executionArn!)).status).toBe('SUCCEEDED');
      // Ten days are two seconds here; measured against the wall clock the second wait would add two more.
      expect(Date.now() - began).toBeLessThan(3_500);
    } finally {
      await fast.close();
    }
  });
});
