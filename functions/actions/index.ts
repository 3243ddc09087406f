import * as z from 'zod/mini';
import { findAction, linkKey, type StoredAction } from '#adapters/action-records';
import { verifyActionLink } from '#domain/action-link';
import { Gone, NotAllowed } from '#domain/errors';
import { orderLinkStep } from '#functions/orders/link-step';
import { quoteLinkStep } from '#functions/quotes/link-step';
import { type ApiResult, apiRoute, htmlHeaders, json, wantsPage } from '#http/api';
import { dispatch } from '#http/dispatch';
import { stepBody, stepBodyFromForm } from './link-body';
import { donePage, type LinkStep, stepPage, stepPageCsp } from './step-page';

/**
 * R28: /actions/{token}, for the holder of an emailed link. GET shows what the link will do and
 * changes nothing; POST does it, once. A forged link is a 403; a used, expired or replaced one 410.
 */

const tokenPath = z.object({ token: z.string().check(z.minLength(1), z.maxLength(512)) });

/** Each kind of record whose steps are answered by link. */
const subjects: Record<StoredAction['subject']['kind'], (action: StoredAction, expiresAt: Date) => Promise<LinkStep>> = {
  quote: quoteLinkStep,
  order: orderLinkStep,
};

/** The link's open step, or why there is none. */
const stepOf = async (token: string) => {
  const { actionId, expiresAt } = verifyActionLink(await linkKey(), token, new Date());
  const action = await findAction(actionId);
  if (!action) throw new NotAllowed('This link is not one salesflow sent');
  if (action.status !== 'open') throw new Gone(spentLink[action.status]);
  return { action, step: await subjects[action.subject.kind](action, expiresAt) };
};

/** Why a link no longer works, in the words its holder reads. */
const spentLink: Record<Exclude<StoredAction['status'], 'open'>, string> = {
  used: 'This link was used already',
  superseded: 'This link was replaced by a newer one',
  closed: 'This step is no longer waiting for an answer: it timed out, or its workflow ended',
};

// The step pages run one script of their own (times in the reader's zone), allowed by its hash.
// same-origin, not no-referrer: the link's token still never leaves for another site, and the
// form's POST carries its real Origin rather than "null", which an origin check refuses.
const html = (status: number, body: string): ApiResult => ({
  statusCode: status,
  headers: { ...htmlHeaders, 'content-security-policy': stepPageCsp, 'referrer-policy': 'same-origin' },
  body,
});

export const showAction = apiRoute({ route: 'GET /actions/{token}', path: tokenPath }, async ({ path, event }) => {
  const { step } = await stepOf(path.token);
  return wantsPage(event) ? html(200, stepPage(step.view)) : json(200, step.view);
});

export const doAction = apiRoute(
  { route: 'POST /actions/{token}', path: tokenPath, body: stepBody, fromForm: stepBodyFromForm },
  async ({ path, body, event }) => {
    const { action, step } = await stepOf(path.token);
    const done = await step.complete(body, action.assignee);
    return wantsPage(event) ? html(200, donePage(step.view, done.outcome)) : json(200, done.result);
  },
);

/** The actions Lambda: every emailed link lands here. */
export const handler = dispatch({
  'GET /actions/{token}': showAction,
  'POST /actions/{token}': doAction,
});
