import { randomUUID } from 'node:crypto';
import { findAction } from '#adapters/action-records';
import { readQuoteDocument, recordQuoteStepCompleted, takeBackQuoteStep } from '#adapters/quote-records';
import { answerTask, TaskRefused } from '#adapters/workflow-runs';
import { sha256 } from '#domain/document-hash';
import { Gone } from '#domain/errors';
import { completedStep, type OpenQuoteStep, type Quote, quoteStepKey, type StepAnswer, stepClosedUnanswered } from '#domain/quote';
import { logger } from '#functions/observability';
import { parseOr400 } from '#http/api';
import { stepBodies } from './schemas';

/**
 * A person completes a step, through an emailed link or the internal route alike. An answer is
 * kept only if the workflow takes it.
 *
 * The answer is recorded first, under conditions (the link open, the step still this one's: a
 * second answer is a 409 or 410), then handed to the waiting task; if Step Functions refuses it
 * (the task timed out, the run failed or is gone), the answer is taken back, the link closed, and
 * the person gets a 410. Recorded first rather than after, because the workflow's next steps
 * read the answer from the quote as soon as it moves: compose renders the prepared terms,
 * transmit checks the signature, return-to-sm quotes the rejection's reason (R15-R17, R19).
 */
export const completeQuoteStep = async (quote: Quote, open: OpenQuoteStep, body: unknown, by: string, via: 'link' | 'internal') => {
  const input = { task: open.task, ...parseOr400(stepBodies[open.task], body, [], 'request body') } as StepAnswer;
  // A failed quote's steps are closed (recordQuoteFailed); one failed before that still lists them.
  if (quote.status === 'failed') throw new Gone('The workflow of this quote has failed; its steps are closed');
  const action = await findAction(open.actionId);
  if (!action?.taskToken || action.status !== 'open') throw new Gone('This step is no longer waiting for an answer');
  const document = input.task === 'sign' ? await readQuoteDocument(quote.id) : undefined;
  const completed = completedStep(
    quote,
    open,
    input,
    by,
    via,
    { entryId: randomUUID(), ...(document ? { documentSha256: sha256(document) } : {}) },
    new Date().toISOString(),
  );
  await recordQuoteStepCompleted(quote, open, quoteStepKey(open.task, open.approver), completed);
  try {
    await answerTask(action.taskToken, completed.output);
  } catch (error) {
    if (error instanceof TaskRefused) {
      const closing = stepClosedUnanswered(quote, open, by, error.refusal, { entryId: randomUUID() }, new Date().toISOString());
      await takeBackQuoteStep(quote, open, completed, closing).catch((failure: unknown) => {
        logger.error('a refused answer could not be taken back', { quoteId: quote.id, task: open.task, error: (failure as Error).name });
        throw failure;
      });
      logger.warn('quote step answer refused by the workflow', { quoteId: quote.id, task: open.task, refusal: error.refusal });
    }
    throw error;
  }
  logger.info('quote step completed', { quoteId: quote.id, task: open.task, via, decision: completed.output.decision });
  return { quoteId: quote.id, task: open.task, ...completed.output };
};
