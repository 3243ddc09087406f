import { describe, expect, it } from 'vitest';
import { customerResponseEmail, escapeHtml, ownerAdviceEmail } from '#domain/correspondence';
import { type CustomerResponse, logResponse } from '#domain/lead';
import { ownerOfLead } from '#domain/ownership';
import { groupsFromClaim } from '#domain/roles';
import { leadBody, leadFromForm } from '../../functions/leads/schemas';

const territories = { byCountry: { GB: 'sm.uk@example.com', DE: 'sm.dach@example.com' }, fallbackOwner: 'sm@example.com' };
const links = { appBaseUrl: 'https://sales.example', webBaseUrl: 'https://www.sales.example' };

const response: CustomerResponse = {
  channel: 'bingo-card',
  source: 'marketing-campaign',
  campaignId: 'trade-show-2026',
  contact: { name: 'Ann <b>Smith</b>', email: 'ann@acme.test', company: 'Acme & Sons', country: 'GB' },
  interest: { message: '<script>alert(1)</script>' },
  literature: ['product-brochure', 'price-list'],
};

describe('R4: who owns a lead', () => {
  it("a distributor's lead belongs to the distributor's SM, whatever the country", () => {
    expect(ownerOfLead({ distributorOwner: 'SM.Dist@example.com', country: 'GB' }, territories)).toBe('sm.dist@example.com');
  });
  it("otherwise the SM of the customer's country", () => {
    expect(ownerOfLead({ country: 'de' }, territories)).toBe('sm.dach@example.com');
  });
  it('otherwise the catch-all SM, so no lead is ever without an owner (R5)', () => {
    expect(ownerOfLead({ country: 'JP' }, territories)).toBe('sm@example.com');
    expect(ownerOfLead({}, territories)).toBe('sm@example.com');
  });
});

describe('R3/R5: a response becomes a suspect', () => {
  it('keeps its source, owner and first timeline entry', () => {
    const { lead, entry } = logResponse(response, { leadId: 'l1', entryId: 'e1' }, 'sm.uk@example.com', '2026-11-23T09:00:00Z');
    expect(lead).toMatchObject({
      id: 'l1',
      status: 'suspect',
      source: 'marketing-campaign',
      campaignId: 'trade-show-2026',
      owner: 'sm.uk@example.com',
    });
    expect(entry).toMatchObject({ kind: 'lead-logged', channel: 'bingo-card', at: '2026-11-23T09:00:00Z' });
  });
});

describe('R4: the emails a lead causes', () => {
  const { lead } = logResponse(response, { leadId: 'l1', entryId: 'e1' }, 'sm.uk@example.com', 'now');

  it('the customer gets a link to each piece of literature asked for', () => {
    const email = customerResponseEmail(lead, 'm1', links);
    expect(email.purpose).toBe('literature');
    expect(email.to).toEqual(['ann@acme.test']);
    expect(email.text).toContain('https://www.sales.example/literature/product-brochure.pdf');
    expect(email.text).toContain('Price list');
  });

  it('the first email to an address says nothing its submitter wrote, and links only to our literature (issue 13)', () => {
    const relay = {
      ...lead,
      contact: { ...lead.contact, name: 'Win a prize at https://evil.test', company: 'Visit http://evil.test now' },
      interest: { message: 'Click https://evil.test/claim' },
    };
    for (const email of [customerResponseEmail(relay, 'm1', links), customerResponseEmail({ ...relay, literature: [] }, 'm1', links)]) {
      expect(email.text + email.html).not.toMatch(/evil|prize|Visit/);
      const urls = [...(email.text + email.html).matchAll(/https?:\/\/[^\s"<]+/g)].map((m) => m[0]);
      expect(urls.every((url) => url.startsWith('https://www.sales.example/literature/'))).toBe(true);
    }
  });

  it('a customer who asked for nothing gets an acknowledgement', () => {
    expect(customerResponseEmail({ ...lead, literature: [] }, 'm1', links).purpose).toBe('acknowledgement');
  });

  it('user text is escaped in every HTML body', () => {
    for (const email of [customerResponseEmail(lead, 'm1', links), ownerAdviceEmail(lead, 'm2', links)]) {
      expect(email.html).not.toContain('<script>');
      expect(email.html).not.toContain('<b>Smith');
    }
    expect(ownerAdviceEmail(lead, 'm2', links).html).toContain('&#60;script&#62;');
    expect(escapeHtml(`"'&<>`)).toBe('&#34;&#39;&#38;&#60;&#62;');
  });

  it('the owning SM is advised with a link to the lead', () => {
    const email = ownerAdviceEmail(lead, 'm2', links);
    expect(email.to).toEqual(['sm.uk@example.com']);
    // The SM opens the lead's page on the web forms, where they sign in.
    expect(email.text).toContain('https://www.sales.example/app/lead.html?id=l1');
  });
});

describe('R28: roles from the token', () => {
  it('reads Cognito groups as an array or as API Gateway flattens them', () => {
    expect(groupsFromClaim(['SalesManager', 'Marketing'])).toEqual(['SalesManager', 'Marketing']);
    expect(groupsFromClaim('[SalesManager Marketing]')).toEqual(['SalesManager', 'Marketing']);
    expect(groupsFromClaim('[Admins]')).toEqual([]);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
});

describe('the lead form', () => {
  it('an HTML form post takes the JSON body shape', () => {
    const body = leadBody.parse(
      leadFromForm({
        source: 'prior-contact',
        'contact.name': 'Ann Smith',
        'contact.email': 'Ann@Acme.test',
        'contact.company': 'Acme',
        'contact.country': 'gb',
        'contact.phone': '',
        literature: ['product-brochure', 'case-studies'],
        'interest.products': 'tester, fixture',
        website: '',
      }),
    );
    expect(body).toEqual({
      channel: 'web-form',
      source: 'prior-contact',
      contact: { name: 'Ann Smith', email: 'ann@acme.test', company: 'Acme', country: 'GB' },
      interest: { products: ['tester', 'fixture'] },
      literature: ['product-brochure', 'case-studies'],
    });
  });
});

describe('the lead body', () => {
  const clean = { channel: 'email', source: 'prior-contact', contact: { name: 'Ann', email: 'ann@acme.test', company: 'Acme' } };

  it('a piece of literature asked for twice is sent once', () => {
    const body = leadBody.parse({ ...clean, literature: ['price-list', 'price-list'] });
    expect(body.literature).toEqual(['price-list']);
  });

  it('a single code where a list is expected gets one clear message', () => {
    const result = leadBody.safeParse({ ...clean, literature: 'price-list' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['literature']);
  });
});
