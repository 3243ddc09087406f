/**
 * The pieces every workflow chart is built from (statemachines/*.ts), written once: a Lambda
 * step of the workflow's steps function, a person's step (ask, and chase when overdue), the
 * retry and catch policy. `npm run workflows` writes each chart's ASL next to it.
 */

export type State = Record<string, unknown>;
export type States = Record<string, State>;

export interface Definition {
  Comment: string;
  StartAt: string;
  States: States;
}

/** In seconds, as ASL counts time. */
export const days = (n: number) => n * 24 * 60 * 60;

/** A passing fault (throttling, a timeout, a redeploy) is retried: 2 s, 4 s, 8 s. */
const passingFaults = { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 };

/** Errors that mean something to the chart go straight to its Catch; anything else is retried. */
const retry = (meaningful: readonly string[]) => [...meaningful.map((error) => ({ ErrorEquals: [error], MaxAttempts: 0 })), passingFaults];

/** Catch an error into `next`, keeping the state input (or the error, under `resultPath`). */
export const on = (error: string, next: string, resultPath: string | null = null) => ({
  ErrorEquals: [error],
  ResultPath: resultPath,
  Next: next,
});

/** Anything left after the retries, kept under `$.failure` for the state that records it. */
export const onAnyFailure = (next: string) => on('States.ALL', next, '$.failure');

export type Then = { next: string } | { end: true };
const then = (to: Then) => ('next' in to ? { Next: to.next } : { End: true });

export interface StepOptions {
  comment?: string;
  /** Where the Lambda's result goes; by default nowhere (the state input passes on as it came). */
  resultPath?: string | null;
  resultSelector?: Record<string, string>;
  /** Errors the Lambda throws on purpose: never retried. */
  meaningful?: readonly string[];
  /** In order; none inside a Map or Parallel branch, whose failures go to the branch's state. */
  catches?: readonly object[];
}

/**
 * The steps of a workflow's one Lambda (its `${Name}` substitution, functions/workflows.ts), each
 * Payload carrying the id of the record the step reads afresh (`subject`). `Step` is the steps
 * function's own `step` values, so a chart cannot name a step the function does not have.
 */
export const stepsFunction = <Step extends string>(name: string, subject: string) => {
  const parameters = (step: Step, fields: Record<string, string>) => ({
    FunctionName: `\${${name}}`,
    Payload: { step, ...fields, [`${subject}.$`]: `$.${subject}` },
  });
  return {
    /** A Lambda step: one call of the steps function, retried on passing faults. */
    lambdaStep: (
      step: Step,
      to: Then,
      { comment, resultPath = null, resultSelector, meaningful = [], catches = [] }: StepOptions = {},
      fields: Record<string, string> = {},
    ): State => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      ...(comment ? { Comment: comment } : {}),
      Parameters: parameters(step, fields),
      ...(resultSelector ? { ResultSelector: resultSelector } : {}),
      ResultPath: resultPath,
      Retry: retry(meaningful),
      ...(catches.length ? { Catch: catches } : {}),
      ...then(to),
    }),

    /**
     * A person's step: the steps function emails a signed link and keeps the task token
     * server-side; the run waits for the answer (into `answer`, or nowhere) `timeoutSeconds`,
     * then goes to `onTimeout`.
     */
    askStep: (
      step: Step,
      to: Then,
      { timeoutSeconds, onTimeout, answer = null, comment = personStepComment, catches = [] }: AskOptions,
      fields: Record<string, string> = {},
    ): State => {
      const { FunctionName, Payload } = parameters(step, fields);
      return {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Comment: comment,
        Parameters: { FunctionName, Payload: { ...Payload, 'taskToken.$': '$$.Task.Token' } },
        TimeoutSeconds: timeoutSeconds,
        ResultPath: answer,
        Retry: retry([]),
        Catch: [on('States.Timeout', onTimeout), ...catches],
        ...then(to),
      };
    },
  };
};

export interface AskOptions {
  timeoutSeconds: number;
  onTimeout: string;
  answer?: string | null;
  comment?: string;
  catches?: readonly object[];
}

const personStepComment = "A person's step: the token stays server-side; they get a signed link by email";

export const choice = (comment: string | undefined, choices: readonly object[], otherwise: string): State => ({
  Type: 'Choice',
  ...(comment ? { Comment: comment } : {}),
  Choices: choices,
  Default: otherwise,
});

export const when = (variable: string, is: boolean | string, next: string) =>
  typeof is === 'boolean' ? { Variable: variable, BooleanEquals: is, Next: next } : { Variable: variable, StringEquals: is, Next: next };

/** Waits run to a timestamp computed from a business date, so back-dated records behave. */
export const waitUntil = (timestampPath: string, next: string, comment?: string): State => ({
  Type: 'Wait',
  ...(comment ? { Comment: comment } : {}),
  TimestampPath: timestampPath,
  Next: next,
});

export const succeed = (comment?: string): State => ({ Type: 'Succeed', ...(comment ? { Comment: comment } : {}) });

export const fail = (error: string, cause: string): State => ({ Type: 'Fail', Error: error, Cause: cause });

/** The ASL as committed: two-space JSON, one trailing newline. */
export const aslText = (definition: Definition) => `${JSON.stringify(definition, null, 2)}\n`;
