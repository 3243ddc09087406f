import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { leadChannels, leadSources } from '#domain/lead';
import { literatureCodes } from '#domain/literature';
import { leadBody, leadFromForm } from '#functions/leads/schemas';

/**
 * The lead forms' client-side checks are the markup's own constraints; these tests keep them equal
 * to the server's schema, so the browser never passes what the API refuses for a reason it knew.
 */
const controls = (file: string) => {
  const html = readFileSync(`web/${file}`, 'utf8');
  const found = new Map<string, { tag: string; attributes: Record<string, string>; options: string[] }>();
  for (const match of html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attributes = Object.fromEntries([...match[2]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? '']));
    if (!attributes.name) continue;
    const entry = found.get(attributes.name) ?? { tag: match[1]!, attributes, options: [] };
    if (attributes.type === 'checkbox') entry.options.push(attributes.value!);
    found.set(attributes.name, entry);
  }
  for (const select of html.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    found.get(select[1]!)!.options = [...select[2]!.matchAll(/<option value="([^"]*)"/g)].map((o) => o[1]!).filter(Boolean);
  }
  return found;
};

/** The schema's view of a dotted path: required or not, its maximum length, its choices. */
const schema = z.toJSONSchema(leadBody, { io: 'input' }) as any;
const rule = (path: string) => {
  let node = schema;
  let required = true;
  for (const key of path.split('.')) {
    required &&= (node.required ?? []).includes(key);
    node = node.properties[key];
  }
  const leaf = node.items ?? node;
  return { required, maxLength: leaf.maxLength as number | undefined, choices: leaf.enum as string[] | undefined };
};

describe.each(['index.html', 'app/new-lead.html'])('the lead form in web/%s', (file) => {
  const form = controls(file);

  it('names only fields the API takes, and every field a person types', () => {
    for (const name of form.keys()) expect(() => rule(name), name).not.toThrow();
    for (const name of [
      'contact.name',
      'contact.email',
      'contact.company',
      'contact.phone',
      'contact.country',
      'source',
      'interest.message',
      'literature',
    ]) {
      expect(form.has(name), name).toBe(true);
    }
  });

  it('requires what the schema requires, and no more', () => {
    for (const [name, { attributes }] of form) {
      if (attributes.type === 'hidden' || attributes.type === 'checkbox' || name === 'website') continue;
      expect('required' in attributes, name).toBe(rule(name).required);
    }
  });

  it("limits text to the schema's lengths", () => {
    for (const [name, { attributes }] of form) {
      const { maxLength } = rule(name);
      if (maxLength && !['checkbox', 'hidden'].includes(attributes.type!) && name !== 'interest.products')
        expect(Number(attributes.maxlength), name).toBe(maxLength);
    }
  });

  it("offers exactly the schema's sources and literature", () => {
    expect(form.get('source')!.options).toEqual([...leadSources]);
    expect(form.get('literature')!.options).toEqual(literatureCodes);
    if (form.get('channel')!.tag === 'select') expect(form.get('channel')!.options).toEqual([...leadChannels]);
  });
});

describe('a form post without JavaScript', () => {
  it('has the shape of the JSON body once the flat fields are read', () => {
    const parsed = leadBody.parse(
      leadFromForm({
        channel: 'web-form',
        source: 'marketing-campaign',
        campaignId: '',
        'contact.name': 'Nora',
        'contact.email': 'NORA@Example.com',
        'contact.company': 'Plain Posts plc',
        'contact.country': 'ie',
        'interest.products': 'TX-200, fixtures',
        literature: ['price-list', 'price-list', 'case-studies'],
        website: '',
      }),
    );
    expect(parsed).toEqual({
      channel: 'web-form',
      source: 'marketing-campaign',
      contact: { name: 'Nora', email: 'nora@example.com', company: 'Plain Posts plc', country: 'IE' },
      interest: { products: ['TX-200', 'fixtures'] },
      literature: ['price-list', 'case-studies'],
    });
  });
});
