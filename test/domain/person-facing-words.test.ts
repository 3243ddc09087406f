import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cadenceTitles } from '#domain/cadence';
import { digestEmail } from '#domain/digest';
import {
  contractReviewItem,
  correctiveActionItem,
  equipmentCheckAnswer,
  equipmentCheckItem,
  followUpSchedule,
  packingItem,
  placeOrder,
  shipmentItem,
} from '#domain/order';
import * as orderEmails from '#domain/order-correspondence';
import { defaultQuoteLimits, defineQuote, type OpenQuoteStep, quoteFollowUpAgendaItem, quoteStepAgendaItem } from '#domain/quote';
import * as quoteEmails from '#domain/quote-correspondence';
import { account, opportunity } from '../fixtures/records';

/**
 * Requirement ids (R22, R13-R19) are for the people who build salesflow, in code comments and the
 * docs. Nobody else reads them: not on a timeline, an agenda, a digest or an email.
 */
const rId = /\bR\d+\b/;
const links = { appBaseUrl: 'https://api.x.test', webBaseUrl: 'https://app.x.test' };

/** Where a string is written for developers: the Lambdas' and API routes' descriptions. */
const forDevelopers = new Set(['functions/routes.ts', 'functions/workers.ts', 'functions/workflows.ts', 'functions/schedules.ts']);

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('no requirement id where people read', () => {
  it('in any text the functions write (comments aside)', () => {
    const found: string[] = [];
    for (const file of sources('functions').filter((path) => !forDevelopers.has(path))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        const text =
          ts.isStringLiteral(node) ||
          ts.isNoSubstitutionTemplateLiteral(node) ||
          ts.isTemplateHead(node) ||
          ts.isTemplateMiddle(node) ||
          ts.isTemplateTail(node)
            ? node.text
            : undefined;
        if (text !== undefined && rId.test(text))
          found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  const placed = placeOrder(
    account({ name: 'Acme Ltd' }),
    undefined,
    {
      accountId: 'acc-1',
      poNumber: 'PO-42',
      lines: [{ sku: 'TX-200', description: 'Tester', quantity: 1, unitPrice: 100 }],
      userContact: { name: 'Una', email: 'una@acme.test' },
    },
    { orderId: 'o-1', registrationId: 'SR-1', entryId: 'e-1' },
    'admin@x.test',
    '2026-11-02T09:00:00.000Z',
  );
  const order = { ...placed.order, followUps: followUpSchedule('2026-11-03T09:00:00.000Z', placed.order.routing) };
  const quote = defineQuote(
    opportunity(),
    { name: 'Ann', email: 'ann@acme.test', company: 'Acme' },
    {
      lines: [{ sku: 'TX-200', description: 'Tester', quantity: 1, unitPriceGbp: 100, discountPercent: 0 }],
      proposalSummary: 'Testers',
      nonStandardRequirements: null,
      validForDays: 30,
    },
    { quoteId: 'q-1', executionArn: 'arn:exec', number: 'Q-2026-0001' },
    { limits: defaultQuoteLimits, approvers: { salesDirector: 'sd@x.test', finance: 'fin@x.test', managingDirector: 'md@x.test' } },
    { email: 'sm@x.test', roles: ['SalesManager'] },
    '2026-11-02T00:00:00.000Z',
  ).quote;
  const sent = {
    ...quote,
    transmission: { at: '2026-11-03T00:00:00.000Z', to: 'ann@acme.test', emailId: 'e', followUpAt: '2026-11-10T00:00:00.000Z' },
  };
  const open: OpenQuoteStep = {
    task: 'sign',
    assignee: 'sm@x.test',
    actionId: 'a-1',
    askedAt: '2026-11-02T00:00:00.000Z',
    dueBy: '2026-11-05T00:00:00.000Z',
  };

  it('in timeline entries and agenda titles', () => {
    const texts = [
      placed.entry.summary,
      equipmentCheckAnswer(order, { ok: true }, 'sm@x.test', '2027-01-05T00:00:00.000Z').summary,
      equipmentCheckAnswer(order, { ok: false, notes: 'Leaks' }, 'sm@x.test', '2027-01-05T00:00:00.000Z').summary,
      ...[
        contractReviewItem(order, 'admin@x.test'),
        packingItem(order, 'p@x.test'),
        shipmentItem(order, 'p@x.test', order.createdAt),
        equipmentCheckItem(order),
        correctiveActionItem(order, order.createdAt),
      ].map((item) => item.summary),
      quoteFollowUpAgendaItem(sent, '2026-11-10T00:00:00.000Z').summary,
      quoteStepAgendaItem(quote, open, 'sign').summary,
      ...Object.values(cadenceTitles),
    ];
    for (const text of texts) expect(text).not.toMatch(rId);
  });

  it('in the emails: subjects and bodies, text and HTML', () => {
    const emails = [
      orderEmails.orderAcknowledgementEmail(order, 'e-1'),
      orderEmails.welcomeLetterEmail(order, 'e-2', 'p@x.test', links),
      orderEmails.packingListEmail(order, 'e-3', 'p@x.test', links),
      orderEmails.sfLoginEmail(order, 'e-4', 'sf@x.test', 'https://api.x.test/actions/x', 14),
      orderEmails.deliveryCheckEmail(order, 'e-5', 'dist@x.test', 'https://api.x.test/actions/x'),
      orderEmails.smReminderEmail(order, 'e-6', links),
      orderEmails.equipmentCheckEmail(order, 'e-7', 'https://api.x.test/actions/x', 1),
      orderEmails.pleasedToServeEmail(order, 'e-8'),
      orderEmails.correctiveActionEmail(
        { ...order, correctiveAction: { status: 'open', openedAt: order.createdAt, openedBy: 'sm@x.test', problem: 'Leaks' } },
        'e-9',
        ['eng@x.test'],
        links,
      ),
      orderEmails.followUpEscalationEmail(order, 'e-10', 'sd@x.test', links),
      orderEmails.deliveryProblemEmail(order, 'e-11', 'One box short', links),
      quoteEmails.stepRequestEmail(quote, open, 'https://api.x.test/actions/x', links, 1),
      quoteEmails.escalationEmail(quote, open, 'sd@x.test', 1, links),
      quoteEmails.quoteReturnedEmail(quote, undefined, links),
      quoteEmails.followUpReminderEmail(sent, links),
      quoteEmails.quoteLapsedEmail(quote, 'sign', links),
      digestEmail(
        'sm@x.test',
        [{ section: 'contacts', text: `${cadenceTitles['sm-visit']}: Acme`, dueAt: order.createdAt, overdueByDays: 2 }],
        'e-12',
        links,
      ),
    ];
    for (const email of emails) {
      for (const text of [email.subject, email.text, email.html ?? '']) expect(text, email.subject).not.toMatch(rId);
    }
  });
});
