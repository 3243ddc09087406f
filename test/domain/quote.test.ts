import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderQuoteDocument } from '#adapters/pdf-documents';
import { Conflict, NotAllowed } from '#domain/errors';
import {
  type Approvers,
  assessQpa,
  completedStep,
  defaultQuoteLimits,
  defineQuote,
  escalationOutcome,
  followUpNeeded,
  mayComplete,
  type OpenQuoteStep,
  openStepFor,
  type Quote,
  type QuoteLine,
  quoteTotals,
} from '#domain/quote';
import { sha256 } from '#domain/quote-document';
import type { TimelineEntry } from '#domain/timeline';
import { opportunity } from '../fixtures/records';

const approvers: Approvers = { salesDirector: 'sd@x.test', finance: 'fin@x.test', managingDirector: 'md@x.test' };
const limits = defaultQuoteLimits;
const line = (unitPriceGbp: number, discountPercent = 0, quantity = 1): QuoteLine => ({
  sku: 'TX-200',
  description: 'Tester',
  quantity,
  unitPriceGbp,
  discountPercent,
});
const qpaOf = (lines: QuoteLine[], nonStandardRequirements: string | null = null) =>
  assessQpa({ lines, nonStandardRequirements }, limits, approvers);
const positions = (lines: QuoteLine[], nonStandard: string | null = null) => qpaOf(lines, nonStandard).approvers.map((a) => a.position);

describe('quote totals', () => {
  it('adds up in pence: list, discount and net', () => {
    expect(quoteTotals([line(9_500, 5, 2), line(0.1, 0, 3)])).toEqual({
      listGbp: 19_000.3,
      discountGbp: 950,
      netGbp: 18_050.3,
      largestDiscountPercent: 5,
    });
  });

  it('net is never above list nor below zero, whatever the lines', () => {
    const lineArb = fc.record({
      sku: fc.constant('X'),
      description: fc.constant('x'),
      quantity: fc.integer({ min: 1, max: 1000 }),
      unitPriceGbp: fc.integer({ min: 0, max: 10_000_000 }).map((p) => p / 100),
      discountPercent: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), (lines) => {
        const t = quoteTotals(lines);
        return t.netGbp <= t.listGbp && t.netGbp >= 0 && Math.abs(t.listGbp - t.discountGbp - t.netGbp) < 0.005;
      }),
    );
  });
});

describe('R14: when a QPA applies', () => {
  it('a discount of exactly the standard limit needs none; one point more does', () => {
    expect(qpaOf([line(1_000, 10)]).applies).toBe(false);
    expect(qpaOf([line(1_000, 10.5)])).toMatchObject({ applies: true, reasons: ['a discount over 10%'] });
  });

  it('a total of exactly £250k needs none; a penny more does', () => {
    expect(qpaOf([line(250_000)]).applies).toBe(false);
    expect(qpaOf([line(250_000.01)])).toMatchObject({ applies: true, reasons: ['a total over £250,000.00'] });
  });

  it('the total that counts is net of discount', () => {
    expect(qpaOf([line(260_000, 5)]).applies).toBe(false); // £247k net, 5% is standard
  });

  it('a non-standard requirement needs one whatever the price; blank text is not one', () => {
    expect(qpaOf([line(100)], 'Custom fixture')).toMatchObject({ applies: true, reasons: ['non-standard requirements'] });
    expect(qpaOf([line(100)], '   ').applies).toBe(false);
  });
});

describe('R15: the approval matrix', () => {
  it('an ordinary discount goes to the sales director alone', () => {
    expect(positions([line(1_000, 25)])).toEqual(['salesDirector']);
  });
  it('a discount over the deep limit adds finance', () => {
    expect(positions([line(1_000, 25.5)])).toEqual(['salesDirector', 'finance']);
  });
  it('over £250k adds the MD, after finance', () => {
    expect(positions([line(400_000, 30)])).toEqual(['salesDirector', 'finance', 'managingDirector']);
    expect(positions([line(300_000)])).toEqual(['salesDirector', 'managingDirector']);
  });
  it('non-standard requirements alone go to the sales director', () => {
    expect(positions([line(100)], 'Custom')).toEqual(['salesDirector']);
  });
  it('limits are configuration', () => {
    const strict = assessQpa(
      { lines: [line(1_000, 6)], nonStandardRequirements: null },
      { ...limits, standardDiscountPercent: 5 },
      approvers,
    );
    expect(strict.applies).toBe(true);
  });
});

const sm = { email: 'sm@x.test', roles: ['SalesManager' as const] };
const define = (lines: QuoteLine[], opp = opportunity()) =>
  defineQuote(
    opp,
    { name: 'Ann', email: 'ann@acme.test', company: 'Acme' },
    { lines, proposalSummary: 'Testers', nonStandardRequirements: null, validForDays: 30 },
    { quoteId: 'q-1', executionArn: 'arn:exec', number: 'Q-2026-0001' },
    { limits, approvers },
    sm,
    '2026-11-02T00:00:00.000Z',
  ).quote;

const openStep = (quote: Quote, step: Omit<OpenQuoteStep, 'actionId' | 'askedAt' | 'dueBy'>): Quote => ({
  ...quote,
  tasks: { [step.approver ? `${step.task}:${step.approver}` : step.task]: { ...step, actionId: 'a-1', askedAt: '', dueBy: '' } },
});

describe('R13/R14: the SM defines a quote', () => {
  // Who may quote (the owner, their managers, the MD) is the access policy's: test/integration/access-matrix.
  it('R10: no quote while the Engineering review it needs is still open (409)', () => {
    expect(() => define([line(1)], opportunity('required'))).toThrow(Conflict);
  });

  it('R16: Engineering assists the AE when the opportunity had an engineering review', () => {
    expect(define([line(1)], opportunity('given')).engineeringAssistance).toBe(true);
    expect(define([line(1)], opportunity('not-required')).engineeringAssistance).toBe(false);
  });
});

describe("R28: who completes a person's step", () => {
  const quote = openStep(define([line(1_000, 20)]), { task: 'approve-qpa', approver: 'salesDirector', assignee: 'sd@x.test' });

  it('an approval belongs to the person in the matrix, whatever their role', () => {
    expect(mayComplete(quote.tasks['approve-qpa:salesDirector']!, { email: 'sd@x.test', roles: [] })).toBe(true);
    expect(() => openStepFor(quote, 'approve-qpa', { email: 'md@x.test', roles: ['ManagingDirector'] })).toThrow(NotAllowed);
  });

  it('a team step belongs to the role', () => {
    const preparing = openStep(define([line(1)]), { task: 'prepare-quote', assignee: 'admin@x.test' });
    expect(openStepFor(preparing, 'prepare-quote', { email: 'other.admin@x.test', roles: ['SalesAdmin'] }).task).toBe('prepare-quote');
    expect(() => openStepFor(preparing, 'prepare-quote', { email: 'ae@x.test', roles: ['ApplicationEngineer'] })).toThrow(NotAllowed);
  });

  it('deciding twice, or a step that is not open, is a conflict', () => {
    const decided: Quote = {
      ...quote,
      decisions: [{ task: 'approve-qpa', approver: 'salesDirector', by: 'sd@x.test', at: '', decision: 'approved', via: 'link' }],
      tasks: {},
    };
    expect(() => openStepFor(decided, 'approve-qpa', { email: 'sd@x.test', roles: [] })).toThrow(Conflict);
    expect(() => openStepFor(decided, 'sign', sm)).toThrow(Conflict);
  });
});

describe('R17: the signature', () => {
  it('covers the document as composed; a changed document is not signed', async () => {
    const base = define([line(1_000)]);
    const content = await renderQuoteDocument(base, '2026-11-03T00:00:00.000Z');
    const quote = openStep(
      { ...base, document: { filename: 'q.pdf', sha256: sha256(content), bytes: content.length, renderedAt: '' } },
      { task: 'sign', assignee: 'sm@x.test' },
    );
    const open = quote.tasks.sign!;
    const signed = completedStep(
      quote,
      open,
      { task: 'sign' },
      'sm@x.test',
      'link',
      { entryId: 'e', documentSha256: sha256(content) },
      'now',
    );
    expect(signed.changes.signature).toMatchObject({ signer: 'sm@x.test', algorithm: 'SHA-256', sha256: sha256(content) });
    const tampered = Buffer.from(content);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 1;
    expect(() =>
      completedStep(quote, open, { task: 'sign' }, 'sm@x.test', 'link', { entryId: 'e', documentSha256: sha256(tampered) }, 'now'),
    ).toThrow(Conflict);
  });

  it('the same quote renders to the same bytes, so its hash can be checked again later', async () => {
    const quote = define([line(1_000, 5, 3)]);
    const at = '2026-11-03T00:00:00.000Z';
    expect(sha256(await renderQuoteDocument(quote, at))).toBe(sha256(await renderQuoteDocument(quote, at)));
    expect(
      Buffer.from(await renderQuoteDocument(quote, at))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});

describe('R18 and escalation clocks', () => {
  const sent = { transmission: { at: '2026-11-10T00:00:00.000Z', to: 'a', emailId: 'm', followUpAt: '' } };
  const activity = (at: string): TimelineEntry => ({ id: at, at, actor: 'sm@x.test', kind: 'activity', summary: 'call' });

  it('the SM is reminded only if nothing was logged with the customer since the quote went out', () => {
    expect(followUpNeeded(sent, [])).toBe(true);
    expect(followUpNeeded(sent, [activity('2026-11-09T00:00:00.000Z')])).toBe(true);
    expect(followUpNeeded(sent, [activity('2026-11-11T00:00:00.000Z')])).toBe(false);
  });

  it('a step is chased up to the limit, then the quote lapses', () => {
    expect(escalationOutcome({ escalations: {} }, 'sign', limits)).toEqual({ count: 1, lapse: false });
    expect(escalationOutcome({ escalations: { sign: 1 } }, 'sign', limits)).toEqual({ count: 2, lapse: false });
    expect(escalationOutcome({ escalations: { sign: 2 } }, 'sign', limits)).toEqual({ count: 3, lapse: true });
  });
});
