import { z } from 'zod';
import { verifyActionLink } from '#domain/action-link';
import { Gone, NotAllowed } from '#domain/errors';
import { findAction, linkKey } from '#adapters/action-records';
import { findQuote } from '#adapters/quote-records';
import { apiRoute, json, type ApiEvent, type ApiResult } from '#http/api';
import { dispatch } from '#http/dispatch';
import { completeQuoteStep } from '#functions/quotes/complete-step';
import { stepBody, stepBodyFromForm } from '#functions/quotes/schemas';
import { donePage, stepPage, stepView } from './step-page';

/**
 * R28: /actions/{token}, for the holder of an emailed link. GET shows what the link will do and
 * changes nothing; POST does it, once. A forged link is a 403; a used, expired or replaced one 410.
 */

const tokenPath = z.object({ token: z.string().min(1).max(512) });

/** The link's open step, or why there is none. */
const openStepOf = async (token: string) => {
  const { actionId, expiresAt } = verifyActionLink(await linkKey(), token, new Date());
  const action = await findAction(actionId);
  if (!action) throw new NotAllowed('This link is not one salesflow sent');
  if (action.status !== 'open') throw new Gone(`This link was ${action.status === 'used' ? 'used already' : 'replaced by a newer one'}`);
  const quote = await findQuote(action.subject.id);
  const open = quote?.tasks[action.key];
  if (!quote || open?.actionId !== actionId) throw new Gone('This step is no longer waiting for an answer');
  return { action, quote, open, expiresAt };
};

const wantsHtml = (event: ApiEvent) => /text\/html/.test(event.headers?.accept ?? '');

const html = (status: number, body: string): ApiResult => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'referrer-policy': 'no-referrer',
  },
  body,
});

export const showAction = apiRoute({ route: 'GET /actions/{token}', path: tokenPath }, async ({ path, event }) => {
  const { quote, open, expiresAt } = await openStepOf(path.token);
  const view = stepView(quote, open, expiresAt);
  return wantsHtml(event) ? html(200, stepPage(view)) : json(200, view);
});

export const doAction = apiRoute(
  { route: 'POST /actions/{token}', path: tokenPath, body: stepBody, fromForm: stepBodyFromForm },
  async ({ path, body, event }) => {
    const { action, quote, open } = await openStepOf(path.token);
    const done = await completeQuoteStep(quote, open, body, action.assignee, 'link');
    return wantsHtml(event) ? html(200, donePage(stepView(quote, open, new Date()).ask, done.decision)) : json(200, done);
  },
);

/** The actions Lambda: every emailed link lands here. */
export const handler = dispatch({
  'GET /actions/{token}': showAction,
  'POST /actions/{token}': doAction,
});
