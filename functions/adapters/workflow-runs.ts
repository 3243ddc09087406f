import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Gone } from '#domain/errors';

/** Step Functions, as the handlers use it: start a workflow run, hand a person's answer back. */

let client: SFNClient | undefined;
const sfn = () => (client ??= new SFNClient({}));

/**
 * Starts a run named after the record it is about, so a retried request finds the same run: AWS
 * answers the same name and input with the same execution, and anything else with a conflict.
 */
export const startWorkflow = async (stateMachineArn: string, name: string, input: unknown): Promise<string> => {
  const { executionArn } = await sfn().send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  return executionArn!;
};

/** The run's ARN for a name, known before it starts (it is recorded with the quote first). */
export const executionArnFor = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** A person's answer goes back to the waiting task. A task that timed out meanwhile is gone. */
export const answerTask = async (taskToken: string, output: unknown): Promise<void> => {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') {
      throw new Gone('This step is no longer waiting for an answer');
    }
    throw error;
  }
};
