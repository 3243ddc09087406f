import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Gone } from '#domain/errors';

/** Step Functions, as the handlers use it: start a workflow run, hand a person's answer back. */

let client: SFNClient | undefined;
const sfn = () => (client ??= new SFNClient({}));

/**
 * Starts a run named after the record it is about, so a retried request finds the same run: AWS
 * answers the same name and input with the same execution, and anything else with a conflict.
 */
export const startWorkflow = async (stateMachineArn: string, name: string, input: unknown): Promise<string> => {
  const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  return executionArn!;
};

/** The run's ARN for a name, known before it starts (it is recorded with the quote first). */
export const executionArnFor = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * How Step Functions says nobody waits for this token any more: the task timed out, its run
 * failed, was stopped or is gone (a restarted local stack forgets its runs). AWS answers a token
 * of a stopped run with TaskTimedOut too, so none of these tells which.
 */
const refusals = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken', 'ExecutionDoesNotExist']);

/** The workflow refused a person's answer: a 410, once the answer has been taken back. */
export class TaskRefused extends Gone {
  constructor(readonly refusal: string) {
    super('This step is no longer waiting for an answer (it timed out, or its workflow ended); your answer was not recorded');
  }
}

/** A person's answer goes back to the waiting task; a task nobody waits for any more refuses it. */
export const answerTask = async (taskToken: string, output: unknown): Promise<void> => {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    const name = (error as Error).name;
    if (refusals.has(name)) throw new TaskRefused(name);
    throw error;
  }
};
