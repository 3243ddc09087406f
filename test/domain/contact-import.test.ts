import { describe, expect, it } from 'vitest';
import { chooseMapping, companyKey, countryOf, importedAccountId, planImport, readRow } from '#domain/contact-import';
import { exportRow, headerRow, spreadsheetMoney, spreadsheetTime } from '#domain/export-columns';
import { readCsv } from '#functions/imports/csv-file';

/** Issue 15: reading a CRM's export, and writing records for a spreadsheet. */
describe('a CRM export, read', () => {
  it('finds the separator, drops the BOM, keeps quoted separators and line breaks, and numbers rows by the line they start on', () => {
    const semicolons = readCsv('\uFEFFFirma;Name;E-Mail\r\n"Acme; Söhne";"Ann\r\nMüller";ann@acme.test\r\n\r\nBeta;Bob;bob@beta.test\r\n');
    expect(semicolons.separator).toBe(';');
    expect(semicolons.headers).toEqual(['Firma', 'Name', 'E-Mail']);
    expect(semicolons.rows).toEqual([
      { line: 2, cells: { Firma: 'Acme; Söhne', Name: 'Ann\r\nMüller', 'E-Mail': 'ann@acme.test' } },
      { line: 5, cells: { Firma: 'Beta', Name: 'Bob', 'E-Mail': 'bob@beta.test' } },
    ]);
    expect(readCsv('Company,Contact\n"A, Ltd","x ""y"""\n').rows[0]!.cells).toEqual({ Company: 'A, Ltd', Contact: 'x "y"' });
  });

  it('maps columns by what CRMs call them, and a person’s mapping wins', () => {
    expect(chooseMapping(['Organisation', 'Full name', 'Email', 'Tel', 'Land', 'PLZ'])).toEqual({
      company: 'Organisation',
      name: 'Full name',
      email: 'Email',
      phone: 'Tel',
      country: 'Land',
      postcode: 'PLZ',
    });
    expect(chooseMapping(['Company', 'First Name', 'Last Name', 'E-mail Address'])).toEqual({
      company: 'Company',
      firstName: 'First Name',
      lastName: 'Last Name',
      email: 'E-mail Address',
    });
    expect(chooseMapping(['Company', 'Account', 'City'], { company: 'Account', city: '' })).toEqual({ company: 'Account' });
  });

  it('reads countries as names in several languages or as codes', () => {
    expect(['Deutschland', 'germany', 'DE', 'deu', 'Allemagne'].map(countryOf)).toEqual(['DE', 'DE', 'DE', 'DE', 'DE']);
    expect(['United Kingdom', 'UK', 'gb', 'Großbritannien'].map(countryOf)).toEqual(['GB', 'GB', 'GB', 'GB']);
    expect(['Österreich', 'Schweiz', 'Suisse', 'USA', 'España'].map(countryOf)).toEqual(['AT', 'CH', 'CH', 'US', 'ES']);
    expect(countryOf('Atlantis')).toBeUndefined();
  });

  it('knows a company however it is spelt', () => {
    expect(companyKey('ACME Ltd.')).toBe(companyKey('Acme Limited'));
    expect(companyKey('Müller & Söhne GmbH')).toBe(companyKey('Muller and Sohne'));
    expect(importedAccountId('ACME Ltd.', 'GB')).toBe(importedAccountId('acme', 'GB'));
    expect(importedAccountId('ACME Ltd.', 'GB')).not.toBe(importedAccountId('acme', 'DE'));
  });

  it('plans one account per company and country, one lead per address, the duplicates and the bad rows by line', () => {
    const mapping = { company: 'Company', name: 'Name', email: 'Email', country: 'Country', phone: 'Phone' };
    const rows = [
      { Company: 'Acme GmbH', Name: 'Ann', Email: 'ann@acme.test', Country: 'Deutschland', Phone: '+49 30 123456 ext. 12' },
      { Company: 'ACME GmbH.', Name: 'Bob', Email: 'bob@acme.test', Country: 'DE', Phone: '' },
      { Company: 'Acme GmbH', Name: 'Ann again', Email: 'ANN@acme.test', Country: 'DE', Phone: '' },
      { Company: '', Name: 'Cy', Email: 'cy@x.test', Country: 'FR', Phone: '' },
      { Company: 'Delta', Name: '', Email: 'd@delta.test', Country: 'FR', Phone: '' },
      { Company: 'Echo', Name: 'Eve', Email: 'eve@echo.test', Country: 'Mordor', Phone: '' },
    ].map((cells, i) => readRow(cells, mapping, i + 2));
    const plan = planImport(rows, { byCountry: { DE: 'sm.dach@salesflow.example' }, fallbackOwner: 'sales.manager@salesflow.example' });
    expect(plan.accounts).toHaveLength(1);
    expect(plan.accounts[0]).toMatchObject({ name: 'Acme GmbH', country: 'DE', owner: 'sm.dach@salesflow.example', lines: [2, 3, 4] });
    expect(plan.accounts[0]!.contacts).toEqual([
      { name: 'Ann', email: 'ann@acme.test', phone: '+49 30 123456' },
      { name: 'Bob', email: 'bob@acme.test' },
    ]);
    expect(plan.leads.map((lead) => [lead.line, lead.email, lead.owner])).toEqual([
      [2, 'ann@acme.test', 'sm.dach@salesflow.example'],
      [3, 'bob@acme.test', 'sm.dach@salesflow.example'],
    ]);
    expect(plan.duplicates).toEqual([{ line: 4, reason: 'same e-mail address as line 2 (ann@acme.test)' }]);
    expect(plan.badRows.map((row) => [row.line, row.reason])).toEqual([
      [5, expect.stringMatching(/no company/)],
      [6, 'a contact with an e-mail address needs a name'],
      [7, expect.stringMatching(/"Mordor" is no country we know/)],
    ]);
  });
});

describe('records for a spreadsheet', () => {
  it('writes times as YYYY-MM-DD HH:MM in UTC and money with two decimals', () => {
    expect(spreadsheetTime('2026-03-01T09:05:59.999+01:00')).toBe('2026-03-01 08:05');
    expect(spreadsheetMoney(1234.5)).toBe('1234.50');
    expect(spreadsheetMoney(undefined)).toBe('');
    expect(headerRow('orders')).toContain('Total (GBP)');
    expect(
      exportRow('quotes', {
        id: 'q',
        number: 'Q-2026-0001',
        createdAt: '2026-01-02T03:04:05Z',
        status: 'sent',
        owner: 'o',
        customer: { company: 'C', name: 'N' },
        totals: { netGbp: 100, vatGbp: 20, grossGbp: 120 },
        opportunityId: 'p',
      }),
    ).toEqual(['q', 'Q-2026-0001', '2026-01-02 03:04', 'sent', 'o', 'C', 'N', '100.00', '20.00', '120.00', 'p']);
  });
});
