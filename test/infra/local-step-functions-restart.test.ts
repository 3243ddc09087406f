import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { projectFile } from '../../infra/local/project';
import { type LocalWorkflow, startLocalStepFunctions } from '../../infra/local/step-functions';
import { waitFor } from '../fixtures/waiting';

/**
 * Workflows survive a restart of the local stack: an endpoint on a data directory is stopped while
 * runs wait (on a person's token, in a Wait, inside a Map or a Parallel), a new one starts on the
 * same directory, and the runs go on from where they stood without running finished steps again.
 */

const fixture = readFileSync(new URL('../fixtures/statemachines/ask-a-person.asl.json', import.meta.url), 'utf8');
const day = 86_400_000;

type Call = { step: string; ref?: string; task?: string; approver?: string; taskToken?: string; at: number };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dirs: string[] = [];
const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const endpoint of opened.splice(0)) await endpoint.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An endpoint on `dataDir` (or in memory), with an SDK client on it. */
const open = async (dataDir: string | undefined, workflows: LocalWorkflow[], timeScale = 86_400) => {
  const endpoint = await startLocalStepFunctions({ host: '127.0.0.1', port: 0, region: 'eu-west-2', timeScale, dataDir, workflows });
  const sfn = new SFNClient({
    endpoint: endpoint.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handle = {
    sfn,
    arn: endpoint.stateMachineArn,
    close: async () => {
      opened.splice(opened.indexOf(handle), 1);
      sfn.destroy();
      await endpoint.close();
    },
  };
  opened.push(handle);
  return handle;
};
type Endpoint = Awaited<ReturnType<typeof open>>;

const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'salesflow-sfn-'));
  dirs.push(dir);
  return dir;
};
const settled = (endpoint: Endpoint, executionArn: string, within?: number) =>
  waitFor(async () => {
    const execution = await endpoint.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  }, within);
const historyTypes = async (endpoint: Endpoint, executionArn: string) =>
  (await endpoint.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((event) => String(event.type));

const exitedStates = async (endpoint: Endpoint, executionArn: string) =>
  (await endpoint.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.flatMap((event) =>
    event.stateExitedEventDetails ? [String(event.stateExitedEventDetails.name)] : [],
  );

/** A workflow whose one function records each call it gets. */
const recording = (name: string, definition: string, substitution: string, reply: (call: Call) => unknown = () => ({ ok: true })) => {
  const calls: Call[] = [];
  const workflow: LocalWorkflow = {
    name,
    definition,
    functions: {
      [substitution]: async (event) => {
        const call = { ...(event as Call), at: Date.now() };
        calls.push(call);
        return reply(call);
      },
    },
  };
  return { calls, workflow };
};

describe('the local Step Functions endpoint across a restart', () => {
  it('a run parked on a task token is listed RUNNING after a restart, takes the same token, and succeeds without asking again', async () => {
    const dataDir = newDataDir();
    const { calls, workflow } = recording('ask-a-person', fixture, 'StepFunction');
    let endpoint = await open(dataDir, [workflow]);
    const { executionArn } = await endpoint.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.arn('ask-a-person'),
        name: 'ask-1',
        input: JSON.stringify({ ref: 'r1', dueAt: new Date().toISOString() }),
      }),
    );
    const ask = await waitFor(() => calls.find((call) => call.step === 'ask'));
    await endpoint.close();

    endpoint = await open(dataDir, [workflow]);
    const { executions } = await endpoint.sfn.send(new ListExecutionsCommand({ stateMachineArn: endpoint.arn('ask-a-person') }));
    expect(executions).toEqual([expect.objectContaining({ executionArn, name: 'ask-1', status: 'RUNNING' })]);
    await endpoint.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: JSON.stringify({ ok: true, by: 'sm' }) }));
    const done = await settled(endpoint, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ ref: 'r1', note: { noted: { ok: true } }, answer: { ok: true, by: 'sm' } });
    expect(calls.map((call) => call.step)).toEqual(['note', 'ask']); // nothing ran twice
    const types = await historyTypes(endpoint, executionArn!);
    expect(types.filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
    expect(types.filter((type) => type === 'TaskStateEntered')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('a person step whose (scaled) timeout passed while the stack was down escalates at once after the restart', async () => {
    const dataDir = newDataDir();
    const { calls, workflow } = recording('ask-a-person', fixture, 'StepFunction');
    // An hour is a second: the one-day timeout is 24 s away at the start.
    let endpoint = await open(dataDir, [workflow], 3_600);
    const { executionArn } = await endpoint.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.arn('ask-a-person'),
        input: JSON.stringify({ ref: 'late', dueAt: new Date().toISOString() }),
      }),
    );
    const ask = await waitFor(() => calls.find((call) => call.step === 'ask'));
    await endpoint.close();
    // The run's clock is scaled: pretend the day went by while the stack was down.
    const file = join(dataDir, 'executions', 'ask-a-person', `${executionArn!.split(':').at(-1)}.json`);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    expect(record.position).toMatchObject({ state: 'Ask a person', token: ask.taskToken });
    record.position.deadline = Date.now() - 1;
    writeFileSync(file, JSON.stringify(record));

    endpoint = await open(dataDir, [workflow], 3_600);
    const done = await settled(endpoint, executionArn!, 3_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.map((call) => call.step)).toEqual(['note', 'ask', 'escalate']);
    await expect(endpoint.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('a run in a Wait ends it at the time due on its own scaled clock, or at once if that passed while the stack was down', async () => {
    const dataDir = newDataDir();
    const twoDays = JSON.stringify({
      StartAt: 'Two days',
      States: {
        'Two days': { Type: 'Wait', Seconds: 2 * 86_400, Next: 'After' },
        After: { Type: 'Task', Resource: '${Step}', Parameters: { step: 'after', 'ref.$': '$.ref' }, ResultPath: '$.after', End: true },
      },
    });
    const { calls, workflow } = recording('two-days', twoDays, 'Step');
    let endpoint = await open(dataDir, [workflow]);
    const began = Date.now();
    const first = await endpoint.sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.arn('two-days'), input: '{"ref":"soon"}' }),
    );
    const second = await endpoint.sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.arn('two-days'), input: '{"ref":"late"}' }),
    );
    await pause(500);
    await endpoint.close();

    // Back at once: the first run's two days (2 s) still count from its start, not from the restart.
    endpoint = await open(dataDir, [workflow]);
    const done = await settled(endpoint, first.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ ref: 'soon', after: { ok: true } });
    const after = calls.find((call) => call.ref === 'soon')!;
    expect(after.at - began).toBeGreaterThan(1_800);
    expect(after.at - began).toBeLessThan(3_000);
    await settled(endpoint, second.executionArn!);
    await endpoint.close();
    expect(calls.map((call) => call.ref).sort()).toEqual(['late', 'soon']);

    // A third run is stopped in its Wait and the stack stays down past the time due.
    endpoint = await open(dataDir, [workflow]);
    const third = await endpoint.sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.arn('two-days'), input: '{"ref":"overdue"}' }),
    );
    await pause(300);
    await endpoint.close();
    await pause(2_200);
    const reopened = Date.now();
    endpoint = await open(dataDir, [workflow]);
    expect((await settled(endpoint, third.executionArn!)).status).toBe('SUCCEEDED');
    expect(calls.find((call) => call.ref === 'overdue')!.at - reopened).toBeLessThan(1_000);
  });

  it("a finished run's status, output and history survive a restart", async () => {
    const dataDir = newDataDir();
    const { calls, workflow } = recording('ask-a-person', fixture, 'StepFunction');
    let endpoint = await open(dataDir, [workflow]);
    const { executionArn } = await endpoint.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.arn('ask-a-person'),
        input: JSON.stringify({ ref: 'done', dueAt: new Date().toISOString() }),
      }),
    );
    const ask = await waitFor(() => calls.find((call) => call.step === 'ask'));
    await endpoint.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: JSON.stringify({ ok: false }) }));
    const before = await settled(endpoint, executionArn!);
    const history = (await endpoint.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events;
    await endpoint.close();

    endpoint = await open(dataDir, [workflow]);
    const after = await endpoint.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(after).toMatchObject({
      status: 'FAILED',
      error: 'Refused',
      startDate: before.startDate,
      stopDate: before.stopDate,
      input: before.input,
    });
    expect((await endpoint.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events).toEqual(history);
    const { executions } = await endpoint.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: endpoint.arn('ask-a-person'), statusFilter: 'FAILED' }),
    );
    expect(executions!.map((execution) => execution.executionArn)).toEqual([executionArn]);
    expect(calls.map((call) => call.step)).toEqual(['note', 'ask']);
  });

  it('in memory (no data directory) a restart forgets, as before', async () => {
    const { workflow } = recording('ask-a-person', fixture, 'StepFunction');
    let endpoint = await open(undefined, [workflow]);
    await endpoint.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.arn('ask-a-person'),
        input: JSON.stringify({ ref: 'mem', dueAt: new Date().toISOString() }),
      }),
    );
    await endpoint.close();
    endpoint = await open(undefined, [workflow]);
    const { executions } = await endpoint.sfn.send(new ListExecutionsCommand({ stateMachineArn: endpoint.arn('ask-a-person') }));
    expect(executions).toEqual([]);
  });
});

describe("the project's workflows across restarts", () => {
  it('post-shipment: stopped in the day-14 Wait, then at the day-60 question, it checks once, asks once, and takes the answer', async () => {
    const dataDir = newDataDir();
    const definition = readFileSync(projectFile('statemachines/post-shipment.asl.json'), 'utf8');
    const { calls, workflow } = recording('post-shipment', definition, 'OrderSteps', () => ({}));
    let endpoint = await open(dataDir, [workflow]);
    const began = Date.now();
    // A day is a second: the delivery check is due in 1 s, the equipment check in 2 s.
    const input = {
      orderId: 'o-1',
      servedByWSales: false,
      schedule: { deliveryCheckAt: new Date(began + day).toISOString(), equipmentCheckFrom: new Date(began + 2 * day).toISOString() },
    };
    const { executionArn } = await endpoint.sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.arn('post-shipment'), name: 'order-o-1', input: JSON.stringify(input) }),
    );
    await pause(300);
    await endpoint.close();

    endpoint = await open(dataDir, [workflow]);
    const ask = await waitFor(() => calls.find((call) => call.step === 'ask-equipment-check'));
    expect(ask.at - began).toBeGreaterThan(1_800);
    await endpoint.close();

    endpoint = await open(dataDir, [workflow]);
    const { executions } = await endpoint.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: endpoint.arn('post-shipment'), statusFilter: 'RUNNING' }),
    );
    expect(executions!.map((execution) => execution.name)).toEqual(['order-o-1']);
    await endpoint.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.taskToken, output: JSON.stringify({ operating: true }) }));
    const done = await settled(endpoint, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ orderId: 'o-1', answer: { operating: true } });
    expect(calls.map((call) => call.step)).toEqual(['two-week-check', 'ask-equipment-check']);
  });

  it('quote-approval: restarted at a person step, inside the approvals Map, and inside the Parallel, every person is asked once', async () => {
    const dataDir = newDataDir();
    const definition = readFileSync(projectFile('statemachines/quote-approval.asl.json'), 'utf8');
    // An hour is a second: the 3-day person steps time out in 72 s, the follow-up is due in 1 s.
    const { calls, workflow } = recording('quote-approval', definition, 'QuoteSteps', (call) =>
      call.step === 'transmit' ? { followUpAt: new Date(Date.now() + 3_600_000).toISOString() } : {},
    );
    let endpoint = await open(dataDir, [workflow], 3_600);
    const restart = async () => {
      await endpoint.close();
      endpoint = await open(dataDir, [workflow], 3_600);
    };
    const asked = (task: string, approver?: string) =>
      waitFor(() => calls.find((call) => call.step === 'ask' && call.task === task && call.approver === approver));
    const answer = async (call: Call, output: unknown = {}) =>
      endpoint.sfn.send(new SendTaskSuccessCommand({ taskToken: call.taskToken, output: JSON.stringify(output) }));

    const input = { quoteId: 'q-1', request: 'quote', qpa: { applies: true, approvers: ['finance', 'md'] }, engineeringAssistance: false };
    const { executionArn } = await endpoint.sfn.send(
      new StartExecutionCommand({ stateMachineArn: endpoint.arn('quote-approval'), name: 'quote-q-1', input: JSON.stringify(input) }),
    );
    const qpa = await asked('prepare-qpa');
    await restart(); // parked at a top-level person step
    await answer(qpa);
    await answer(await asked('approve-qpa', 'finance'), { decision: 'approved' });
    const md = await asked('approve-qpa', 'md');
    await restart(); // the Map: the first approver's iteration done, the second parked
    await answer(md, { decision: 'approved' });
    const quote = await asked('prepare-quote');
    const proposal = await asked('prepare-proposal');
    await answer(quote);
    await waitFor(async () =>
      (await exitedStates(endpoint, executionArn!)).includes('Sales Admin prepares the quote') ? true : undefined,
    );
    await restart(); // the Parallel: Sales Admin's branch done, the AE's parked
    await answer(proposal);
    await answer(await asked('sign'));
    const done = await settled(endpoint, executionArn!);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ quoteId: 'q-1', transmission: { followUpAt: expect.any(String) } });
    expect(calls.map((call) => [call.step, call.task, call.approver].filter(Boolean).join(' '))).toEqual([
      'ask prepare-qpa',
      'ask approve-qpa finance',
      'ask approve-qpa md',
      'ask prepare-quote',
      'ask prepare-proposal',
      'compose',
      'ask sign',
      'transmit',
      'follow-up',
    ]);
    const types = await historyTypes(endpoint, executionArn!);
    expect(types.filter((type) => type === 'MapIterationStarted')).toHaveLength(2);
    // Each once, however many restarts: the history AWS would have written.
    expect(types.filter((type) => type === 'ParallelStateStarted')).toHaveLength(1);
    expect(types.filter((type) => type === 'ParallelStateSucceeded')).toHaveLength(1);
    expect((await exitedStates(endpoint, executionArn!)).filter((state) => state === 'Sales Admin prepares the quote')).toHaveLength(1);
  }, 30_000);
});
