import { defaultQuoteLimits } from '#domain/quote';
import type { StepInput } from '#functions/quotes/workflow-steps';
import {
  choice,
  type Definition,
  days,
  fail,
  on,
  onAnyFailure,
  type States,
  stepsFunction,
  succeed,
  waitUntil,
  when,
} from '#statemachines/builder';

/**
 * R13-R19, the chart of quote approval: written here, generated into quote-approval.asl.json
 * (`npm run workflows`). One Lambda runs every step (functions/quotes/workflow-steps.ts).
 */

const { lambdaStep, askStep } = stepsFunction<StepInput['step']>('QuoteSteps', 'quoteId');
type Task = Extract<StepInput, { step: 'ask' }>['task'];

/** Outside a Map or Parallel branch, what the retries could not mend is recorded on the quote. */
const recordTheFailure = [onAnyFailure('Record the failure')];
const lapsed = on('Quote.Lapsed', 'Lapsed');

/**
 * Work on the quote, then `next` (without it, the run ends there); a signed document whose bytes
 * changed (Quote.DocumentChanged) is never retried.
 */
const quoteStep = (step: StepInput['step'], next?: string, options: Parameters<typeof lambdaStep>[2] = {}, fields = {}) =>
  lambdaStep(
    step,
    next ? { next } : { end: true },
    { meaningful: ['Quote.DocumentChanged'], catches: recordTheFailure, ...options },
    fields,
  );

/**
 * R15-R17, a person's step: `who` is asked by a signed link; unanswered after `chaseAfterDays`,
 * `chase` tells the SM and the sales director, and asks again with a new link; after the last
 * chase it throws Quote.Lapsed. Inside a branch (`branch`), the Map or Parallel catches for it.
 * Without `next`, the branch ends there.
 */
const personStep = (
  task: Task,
  {
    who,
    chase,
    next,
    answer = null,
    approver,
    branch = false,
  }: { who: string; chase: string; next?: string; answer?: string | null; approver?: string; branch?: boolean },
): States => {
  const fields = { task, ...(approver ? { 'approver.$': approver } : {}) };
  return {
    [who]: askStep(
      'ask',
      next ? { next } : { end: true },
      { timeoutSeconds: days(defaultQuoteLimits.chaseAfterDays), onTimeout: chase, answer, catches: branch ? [] : recordTheFailure },
      fields,
    ),
    [chase]: lambdaStep(
      'escalate',
      { next: who },
      {
        comment: 'Overdue: the SM and the sales director hear of it, the person gets a new link; too many chases and the quote lapses',
        meaningful: ['Quote.Lapsed'],
        catches: branch ? [] : [lapsed, ...recordTheFailure],
      },
      fields,
    ),
  };
};

export const quoteApproval: Definition = {
  Comment:
    "R13-R19: a quote from the SM's definition, through the QPA and its approvals, the parallel preparation of quote and proposal, the SM's signature and the transmission, to the R18 follow-up; and a formal contract with the MD. Every person's step waits for a task token.",
  StartAt: 'Quote or contract?',
  States: {
    'Quote or contract?': choice(
      "R19: a formal contract runs the MD's part only",
      [when('$.request', 'contract', 'MD negotiates and approves the contract')],
      'QPA applies?',
    ),
    'QPA applies?': choice(
      'R14: decided when the SM defined the quote',
      [when('$.qpa.applies', true, 'Sales Admin prepares the QPA')],
      'Prepare quote and proposal',
    ),
    ...personStep('prepare-qpa', { who: 'Sales Admin prepares the QPA', chase: 'Chase the QPA', next: 'Collect the approvals' }),
    'Collect the approvals': {
      Type: 'Map',
      Comment: "R15: one approver at a time, in the matrix's order; one rejection ends it",
      ItemsPath: '$.qpa.approvers',
      MaxConcurrency: 1,
      ItemSelector: { 'quoteId.$': '$.quoteId', 'approver.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Approver decides',
        States: {
          ...personStep('approve-qpa', {
            who: 'Approver decides',
            chase: 'Chase the approver',
            next: 'Approved?',
            answer: '$.answer',
            approver: '$.approver',
            branch: true,
          }),
          'Approved?': choice(undefined, [when('$.answer.decision', 'approved', 'Approved')], 'Rejected'),
          Approved: succeed(),
          Rejected: fail('QPA.Rejected', 'An approver rejected the QPA'),
        },
      },
      ResultPath: null,
      Catch: [on('QPA.Rejected', 'Return the quote to the SM'), lapsed, ...recordTheFailure],
      Next: 'Prepare quote and proposal',
    },
    'Prepare quote and proposal': {
      Type: 'Parallel',
      Comment: "R16: Sales Admin's quote and the AE's proposal at the same time",
      Branches: [
        {
          StartAt: 'Sales Admin prepares the quote',
          States: personStep('prepare-quote', { who: 'Sales Admin prepares the quote', chase: 'Chase the quote', branch: true }),
        },
        {
          StartAt: 'Engineering assistance?',
          States: {
            'Engineering assistance?': choice(
              'R16: when the opportunity had an engineering review',
              [when('$.engineeringAssistance', true, 'Engineering assists the AE')],
              'AE prepares the proposal',
            ),
            ...personStep('engineering-assistance', {
              who: 'Engineering assists the AE',
              chase: 'Chase Engineering',
              next: 'AE prepares the proposal',
              branch: true,
            }),
            ...personStep('prepare-proposal', { who: 'AE prepares the proposal', chase: 'Chase the proposal', branch: true }),
          },
        },
      ],
      ResultPath: null,
      Catch: [lapsed, ...recordTheFailure],
      Next: 'Compose the documents',
    },
    'Compose the documents': quoteStep('compose', 'SM reviews and signs'),
    ...personStep('sign', { who: 'SM reviews and signs', chase: 'Chase the signature', next: 'Send to the customer' }),
    'Send to the customer': quoteStep('transmit', 'Until the follow-up is due', {
      resultSelector: { 'followUpAt.$': '$.Payload.followUpAt' },
      resultPath: '$.transmission',
    }),
    'Until the follow-up is due': waitUntil('$.transmission.followUpAt', 'Follow-up reminder', 'R18'),
    'Follow-up reminder': quoteStep('follow-up'),
    'Return the quote to the SM': quoteStep('return-to-sm', 'Returned to the SM'),
    'Returned to the SM': succeed(),
    Lapsed: succeed('Nobody answered after every chase; the quote says so and the SM was told'),

    // R19: a run named contract-<quoteId> starts here, from the first Choice.
    ...personStep('approve-contract', {
      who: 'MD negotiates and approves the contract',
      chase: 'Chase the MD',
      next: "Tell the SM the MD's decision",
      answer: '$.answer',
    }),
    "Tell the SM the MD's decision": quoteStep('contract-decided'),

    'Record the failure': quoteStep('fail', 'Failed', { catches: [] }, { 'failure.$': '$.failure' }),
    Failed: fail('Quote.Failed', 'A step kept failing; the quote shows it as failed'),
  },
};
