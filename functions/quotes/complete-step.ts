import { randomUUID } from 'node:crypto';
import { Gone } from '#domain/errors';
import { completeTask, taskKey, type OpenTask, type Quote, type TaskInput } from '#domain/quote';
import { sha256 } from '#domain/document-hash';
import { findAction } from '#adapters/action-records';
import { readQuoteDocument, recordQuoteStepCompleted } from '#adapters/quote-records';
import { answerTask } from '#adapters/workflow-runs';
import { parseOr400 } from '#http/api';
import { logger } from '#functions/observability';
import { taskBodies } from './schemas';

/**
 * A person completes a step, through an emailed link or the internal route alike: the decision
 * is recorded with the link spent (conditions make a second answer a 409 or 410), then handed to
 * the waiting Step Functions task.
 */
export const completeQuoteStep = async (
  quote: Quote,
  open: OpenTask,
  body: unknown,
  by: string,
  via: 'link' | 'internal',
) => {
  const input = { task: open.task, ...parseOr400(taskBodies[open.task], body, [], 'request body') } as TaskInput;
  const action = await findAction(open.actionId);
  if (!action?.taskToken || action.status !== 'open') throw new Gone('This step has already been answered');
  const document = input.task === 'sign' ? await readQuoteDocument(quote.id) : undefined;
  const completed = completeTask(
    quote,
    open,
    input,
    by,
    via,
    { entryId: randomUUID(), ...(document ? { documentSha256: sha256(document) } : {}) },
    new Date().toISOString(),
  );
  await recordQuoteStepCompleted(quote, open, taskKey(open.task, open.approver), completed);
  await answerTask(action.taskToken, completed.output);
  logger.info('quote step completed', { quoteId: quote.id, task: open.task, via, decision: completed.output.decision });
  return { quoteId: quote.id, task: open.task, ...completed.output };
};
