import { describe, expect, it } from 'vitest';
import { quoteSteps } from '#domain/quote';
import { fieldsOf } from '#functions/actions/step-page';
import { stepBodies } from '#functions/quotes/schemas';

/** A step's emailed page asks for what its route takes: its form is read from the same schema. */
describe("a quote step's page", () => {
  it('asks the approver for a decision, and a reason the sales manager reads', () => {
    expect(fieldsOf(stepBodies['approve-qpa'])).toEqual([
      { name: 'decision', label: 'Your decision', kind: 'choice', required: true, options: ['approve', 'reject'] },
      { name: 'reason', label: 'Reason (needed when you reject: the sales manager reads it)', kind: 'text', required: false },
    ]);
  });

  it('asks the SM to sign with one confirmation', () => {
    expect(fieldsOf(stepBodies.sign)).toEqual([
      { name: 'confirm', label: 'I have reviewed the document and sign it as it stands', kind: 'confirm', required: true },
    ]);
  });

  it('asks Sales Admin for the payment and delivery terms, the rest optional', () => {
    expect(fieldsOf(stepBodies['prepare-quote']).map(({ name, required }) => [name, required])).toEqual([
      ['paymentTerms', true],
      ['deliveryTerms', true],
      ['terms', false],
      ['notes', false],
    ]);
  });

  it.each(quoteSteps)('%s labels every field it asks for', (step) => {
    const fields = fieldsOf(stepBodies[step]);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field.label, field.name).toMatch(/\w/);
  });
});
