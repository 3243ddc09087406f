import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { multiLineText, text } from '#contract/fields';
import { activityBody } from '#functions/activities/schemas';
import { leadBody, leadFromForm, qualificationBody } from '#functions/leads/schemas';
import { orderStepBodies } from '#functions/orders/schemas';
import { stepBodies } from '#functions/quotes/schemas';
import { qualificationBody as qualification } from '../fixtures/qualification';

/**
 * Finding 6, "a poison string": what a person types is stored as well-formed text or refused with
 * a reason they can act on. A lone surrogate once went into the table and `aws dynamodb scan` then
 * failed for every item in it.
 */

const lead = {
  channel: 'web-form',
  source: 'marketing-campaign',
  contact: { name: 'Ann Smith', email: 'ann@acme.test', company: 'Acme Ltd', country: 'GB' },
  interest: { message: 'Please call me' },
};
const leadNamed = (name: string) => leadBody.safeParse({ ...lead, contact: { ...lead.contact, name } });
const leadWithMessage = (message: string) => leadBody.safeParse({ ...lead, interest: { message } });

/** The field errors a 400 would carry, as functions/http/api.ts builds them. */
const refusals = (result: z.core.util.SafeParseResult<unknown>) =>
  result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

const isWellFormed = (value: string) => (value as string & { isWellFormed(): boolean }).isWellFormed();

describe('a lead whose name is not well-formed text is refused, naming the field', () => {
  it('a lead named with a lone surrogate is refused and names the field', () => {
    expect(refusals(leadNamed('A\ud800'))).toEqual([
      { path: 'contact.name', message: 'must not contain broken characters (unpaired surrogates)' },
    ]);
    expect(refusals(leadNamed('\udc00Ann'))).toEqual([{ path: 'contact.name', message: expect.stringMatching(/broken characters/) }]);
  });

  it('a name holding NUL or another control character is refused', () => {
    for (const name of ['Ann\u0000Smith', 'Ann\u0007', 'Ann\u001bSmith', 'Ann\u007fSmith', 'Ann\u0085Smith', 'Ann\u009bSmith']) {
      expect(refusals(leadNamed(name)), JSON.stringify(name)).toEqual([
        { path: 'contact.name', message: 'must not contain control characters' },
      ]);
    }
  });

  it('a name is one line: a tab or a line break inside it is refused (at its ends they are trimmed)', () => {
    for (const name of ['Ann\nSmith', 'Ann\tSmith', 'Ann\rSmith', 'Ann\u2028Smith']) {
      expect(refusals(leadNamed(name)), JSON.stringify(name)).toEqual([
        { path: 'contact.name', message: 'must be one line, without tabs or line breaks' },
      ]);
    }
    expect(leadNamed('\tAnn Smith\r\n').data?.contact.name).toBe('Ann Smith');
  });

  it('a company with a bidi override or isolate (which reorders what a reader sees) is refused', () => {
    for (const mark of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const result = leadBody.safeParse({ ...lead, contact: { ...lead.contact, company: `Acme${mark}dtL` } });
      expect(refusals(result), `U+${mark.codePointAt(0)!.toString(16)}`).toEqual([
        { path: 'contact.company', message: 'must not contain text-direction override characters' },
      ]);
    }
  });

  it('a name of zero-width characters only is refused as empty or invisible', () => {
    expect(refusals(leadNamed('\u200b\u200b'))).toEqual([{ path: 'contact.name', message: 'must not be empty' }]);
    expect(refusals(leadNamed('\ufeff \u2060'))).toEqual([{ path: 'contact.name', message: 'must not be empty' }]);
    for (const name of ['\u200c', '\u200d\u200c', '\u00ad', '\u3164', '\u200e']) {
      expect(refusals(leadNamed(name)), JSON.stringify(name)).toEqual([
        { path: 'contact.name', message: 'must not be only invisible characters' },
      ]);
    }
  });

  it('zero-width spaces pasted around a name are trimmed; joiners inside a name are kept', () => {
    expect(leadNamed('\u200bAnn Smith\u200b ').data?.contact.name).toBe('Ann Smith');
    expect(leadNamed('می\u200cخواهم').data?.contact.name).toBe('می\u200cخواهم');
  });

  it('a name is stored in NFC, so "e" plus a combining accent is stored as "é"', () => {
    expect(leadNamed('Ren\u0065\u0301e').data?.contact.name).toBe('Ren\u00e9e');
    expect(leadNamed('Ren\u00e9e').data?.contact.name).toBe('Ren\u00e9e');
  });

  it('the length limit holds for the stored (normalised) name, not only for what was sent', () => {
    // U+0958 is excluded from composition: NFC makes each one two code units.
    const qa = '\u0958';
    expect(qa.normalize('NFC')).toHaveLength(2);
    expect(refusals(leadNamed(qa.repeat(150)))).toEqual([{ path: 'contact.name', message: 'must be at most 200 characters' }]);
    expect(leadNamed(qa.repeat(100)).data?.contact.name).toHaveLength(200);
  });

  it('ordinary names in any script pass unchanged', () => {
    for (const name of ['Ann Smith', "Seán O'Brien", 'Zoë Ødegård', '山田 太郎', 'محمد', 'Þórunn', 'Ann 👩🏽‍🔬']) {
      expect(leadNamed(name).data?.contact.name, name).toBe(name);
    }
  });

  it('a product of interest is held to the same rules', () => {
    const result = leadBody.safeParse({ ...lead, interest: { products: ['tester', 'A\ud800'] } });
    expect(refusals(result)).toEqual([{ path: 'interest.products.1', message: expect.stringMatching(/broken characters/) }]);
  });

  it('the web form post is read the same way', () => {
    const result = leadBody.safeParse(
      leadFromForm({
        source: 'marketing-campaign',
        'contact.name': 'Ann\u202eSmith',
        'contact.email': 'ann@acme.test',
        'contact.company': 'Acme',
      }),
    );
    expect(refusals(result)).toEqual([{ path: 'contact.name', message: 'must not contain text-direction override characters' }]);
  });
});

describe('prose (a lead message, an activity summary, a step note) may run to several lines, and is otherwise as strict', () => {
  it("keeps line breaks and tabs, and a textarea post's CRLF is stored as one \\n", () => {
    expect(leadWithMessage('Hello,\r\n\r\nplease call.\tThanks').data?.interest?.message).toBe('Hello,\n\nplease call.\tThanks');
    expect(activityBody.parse({ kind: 'call', summary: 'Called Ann.\rShe wants a demo.' }).summary).toBe('Called Ann.\nShe wants a demo.');
  });

  it('an activity summary with a lone surrogate, NUL, a bidi override or only zero-width characters is refused, naming the field', () => {
    const summary = (value: string) => refusals(activityBody.safeParse({ kind: 'call', summary: value }));
    expect(summary('Called\ud83d')).toEqual([{ path: 'summary', message: 'must not contain broken characters (unpaired surrogates)' }]);
    expect(summary('Called\u0000Ann')).toEqual([{ path: 'summary', message: 'must not contain control characters' }]);
    expect(summary('Called\u000cAnn')).toEqual([{ path: 'summary', message: 'must not contain control characters' }]);
    expect(summary('Called \u2067Ann')).toEqual([{ path: 'summary', message: 'must not contain text-direction override characters' }]);
    expect(summary('\u200d\n\u200c')).toEqual([{ path: 'summary', message: 'must not be only invisible characters' }]);
    expect(summary(' \n\t ')).toEqual([{ path: 'summary', message: 'must not be empty' }]);
  });

  it('a note on an emailed step is held to the same rules, and stored in NFC', () => {
    expect(refusals(orderStepBodies.packing.safeParse({ notes: 'Boxed\u202e' }))).toEqual([
      { path: 'notes', message: 'must not contain text-direction override characters' },
    ]);
    expect(stepBodies['prepare-quote'].parse({ paymentTerms: '30 days', deliveryTerms: 'Ex works', notes: 'Cafe\u0301' }).notes).toBe(
      'Caf\u00e9',
    );
  });

  it('non-standard requirements may be left blank, meaning none, but not filled with control characters', () => {
    expect(qualificationBody.parse(qualification(100, '  ')).nonStandardRequirements).toBe('');
    expect(refusals(qualificationBody.safeParse(qualification(100, 'Custom\u0000')))).toEqual([
      { path: 'nonStandardRequirements', message: 'must not contain control characters' },
    ]);
  });
});

describe('property: the text helpers store only well-formed text', () => {
  const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  /** Any UTF-16 unit (lone surrogates included), with the awkward ones made likely. */
  const unit = fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
    fc.constantFrom(
      'e',
      'é',
      '\u0301',
      '\u0958',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u00ad',
      ...bidi,
    ),
    fc.constantFrom('😀', '👩🏽‍🔬', '\ud83d', '\ude00'),
  );
  const anyText = fc.array(unit, { maxLength: 40 }).map((units) => units.join(''));
  const control = (multiLine: boolean) =>
    fc
      .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .map((n) => String.fromCharCode(n))
      .filter((c) => !multiLine || !['\t', '\n', '\r'].includes(c));
  const forbidden = (multiLine: boolean) =>
    fc.oneof(
      control(multiLine),
      fc.constantFrom(...bidi),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)),
    );

  describe.each([
    ['one line', text(100), false],
    ['several lines', multiLineText(100), true],
  ] as const)('%s', (_, schema, multiLine) => {
    it('whatever it accepts is well-formed, NFC, free of control and bidi characters, visible and within its length', () => {
      fc.assert(
        fc.property(anyText, (input) => {
          const result = schema.safeParse(input);
          if (!result.success) return;
          const stored = result.data;
          expect(isWellFormed(stored)).toBe(true);
          expect(stored).toBe(stored.normalize('NFC'));
          expect(stored).not.toMatch(multiLine ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/ : /[\u0000-\u001f\u007f-\u009f]/);
          expect(stored).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
          expect(stored).toMatch(/[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u);
          expect(stored.length).toBeLessThanOrEqual(100);
          // Stored text reads back as itself: nothing changes it a second time.
          expect(schema.parse(stored)).toBe(stored);
        }),
        { numRuns: 2000 },
      );
    });

    it('a valid string with any forbidden character put inside it is refused', () => {
      const accepted = anyText
        .map((input) => schema.safeParse(input))
        .filter((r) => r.success && r.data.length >= 2)
        .map((r) => r.data!);
      fc.assert(
        fc.property(accepted, forbidden(multiLine), fc.nat(), (valid, bad, at) => {
          // Inside, not at the ends, where whitespace controls such as \v are simply trimmed.
          const cut = 1 + (at % (valid.length - 1));
          const poisoned = `${valid.slice(0, cut)}${bad}${valid.slice(cut)}`;
          expect(schema.safeParse(valid).success).toBe(true);
          expect(schema.safeParse(poisoned).success, JSON.stringify(poisoned)).toBe(false);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
