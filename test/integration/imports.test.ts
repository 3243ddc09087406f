import { gzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { importedLeadId } from '#domain/contact-import';
import { crmExport } from '../fixtures/crm-export';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, stack, stackClient } from './local-stack';

/**
 * Issue 15: a GoldMine-style export of 1,000 rows with every quirk, previewed, imported in the
 * background, imported again (nothing new), and the leads exported as CSV and read back.
 */
const client = stackClient(stack);
const { api, tokenFor, sentEmails } = client;
const admin = 'sales.admin@salesflow.example';
const dach = 'sm.dach@salesflow.example';
const uk = 'sm.uk@salesflow.example';

/**
 * The records in the table, without the imports' own bookkeeping and the reports' counters (their
 * worker goes on adding up the new leads for minutes on DynamoDB Local; they are no record).
 */
const recordCount = async () => {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.dynamodb.send(
      new ScanCommand({
        TableName: stack.tableName,
        Select: 'COUNT',
        FilterExpression: 'NOT begins_with(pk, :import) AND NOT begins_with(pk, :rollup)',
        ExpressionAttributeValues: { ':import': { S: 'IMPORT#' }, ':rollup': { S: 'ROLLUP#' } },
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return count;
};

const upload = (csv: string, token: string, query = '') =>
  api('POST', `/imports${query}`, { raw: csv, token, headers: { 'content-type': 'text/csv; charset=utf-8' } });

const finished = (id: string, token: string) =>
  eventually(async () => {
    const answer = await api('GET', `/imports/${id}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.status === 'done' ? answer.body : undefined;
  }, 400_000);

describe('importing a CRM export (issue 15)', () => {
  const tag = `i${Date.now().toString(36)}`;
  const file = crmExport(1000, tag);

  it('previews, imports in the background, reports bad rows by line, and a second run adds nothing', async () => {
    const token = await tokenFor(admin, 'SalesAdmin');
    const before = await recordCount();

    const preview = await upload(file.csv, token, '?dryRun=true');
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    expect(preview.body.separator).toBe('semicolon');
    expect(preview.body.mapping).toMatchObject({
      company: 'Firma',
      name: 'Ansprechpartner',
      email: 'E-Mail',
      phone: 'Tel',
      country: 'Land',
      city: 'Ort',
      address: 'Straße',
    });
    expect(preview.body.counts).toEqual({
      accounts: file.companies,
      leads: file.emails.length,
      duplicates: file.duplicateLines.length,
      badRows: file.badRows.length,
    });
    expect(preview.body.badRows.map((row: { line: number }) => row.line)).toEqual(file.badRows.map((row) => row.line));
    for (const [i, bad] of file.badRows.entries()) expect(preview.body.badRows[i].reason).toMatch(bad.reason);
    expect(preview.body.duplicates.map((row: { line: number }) => row.line)).toEqual(file.duplicateLines);
    // A lead goes to its territory's SM (R4): Deutschland is DE, the DACH SM's.
    const german = file.emails.find((email) => file.countries.get(email) === 'DE')!;
    expect(preview.body.leads.find((lead: { email: string }) => lead.email === german)).toMatchObject({ country: 'DE', owner: dach });
    expect(await recordCount()).toBe(before);

    const started = Date.now();
    const queued = await upload(file.csv, token, '?fileName=goldmine.csv');
    expect(queued.status, JSON.stringify(queued.body).slice(0, 500)).toBe(202);
    expect(queued.headers.get('location')).toBe(`/imports/${queued.body.id}`);
    const report = await finished(queued.body.id, token);
    console.log(
      `import: ${file.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s (${Math.round(file.rows / ((Date.now() - started) / 1000))} rows/s), ${report.progress.chunks} chunks`,
    );
    expect(report.counts).toEqual({
      created: file.companies + file.emails.length,
      skipped: file.duplicateLines.length,
      failed: file.badRows.length,
    });
    expect(report.progress).toMatchObject({ chunksDone: report.progress.chunks, percent: 100 });
    expect(report.failed[0]).toEqual({ line: file.badRows[0]!.line, reason: expect.stringMatching(file.badRows[0]!.reason) });

    // The lead as any lead: a suspect of the territory's SM, its timeline saying it was imported; nobody emailed.
    const lead = await api('GET', `/leads/${importedLeadId(german)}`, { token });
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({ status: 'suspect', owner: dach, channel: 'crm-import', contact: { email: german, country: 'DE' } });
    expect(lead.body.timeline[0].summary).toMatch(/Imported from a CRM export .*nobody was emailed/);
    // And found like any lead: by the first letters of its company, from the header's search.
    const company = String(lead.body.contact.company);
    const found = await api('GET', `/search?q=${encodeURIComponent(company.slice(0, Math.max(4, company.length - 3)))}&limit=20`, {
      token,
    });
    expect(found.status).toBe(200);
    expect(found.body.hits.map((hit: { kind: string; id: string }) => `${hit.kind}:${hit.id}`)).toContain(`lead:${lead.body.id}`);
    const emailed = new Set((await sentEmails()).flatMap((email) => email.destination?.to ?? []).map((to: string) => to.toLowerCase()));
    expect(file.emails.filter((email) => emailed.has(email))).toEqual([]);

    // The same file again: every record is there already, and nothing is added.
    const records = await recordCount();
    const again = await upload(file.csv, token);
    expect(again.status).toBe(202);
    const second = await finished(again.body.id, token);
    expect(second.counts).toEqual({
      created: 0,
      skipped: file.duplicateLines.length + file.companies + file.emails.length,
      failed: file.badRows.length,
    });
    expect(second.skipped.find((row: { reason: string }) => /is a lead already/.test(row.reason))).toBeDefined();
    expect(await recordCount()).toBe(records);
    expect(records).toBeGreaterThan(before);

    // And a preview now finds them all by key.
    const after = await upload(file.csv, token, '?dryRun=true');
    expect(after.body.counts).toMatchObject({ accounts: 0, leads: 0 });
  }, 900_000);

  it('refuses what it cannot take, writing nothing', async () => {
    const token = await tokenFor(admin, 'SalesAdmin');
    const sm = await tokenFor(uk, 'SalesManager');
    const before = await recordCount();
    const big = await upload(`Company;Email\n${'x'.repeat(5 * 1024 * 1024)}`, token);
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/up to 5 MiB/);
    // Gzipped as the page sends it: the same preview; a file over 16 MiB unpacked is refused as too large.
    const gzipped = await api('POST', '/imports?dryRun=true', {
      raw: gzipSync(file.csv) as never,
      token,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(gzipped.status, JSON.stringify(gzipped.body).slice(0, 300)).toBe(200);
    expect(gzipped.body.counts.badRows).toBe(file.badRows.length);
    const bomb = await api('POST', '/imports', {
      raw: gzipSync(Buffer.alloc(17 * 1024 * 1024, 'a')) as never,
      token,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(bomb.status).toBe(413);
    expect(bomb.body.message).toMatch(/over 16 MiB once unpacked/);
    const json = await api('POST', '/imports', { body: { company: 'Acme' }, token });
    expect(json.status).toBe(415);
    const unknown = await upload(file.csv, token, `?dryRun=true&mapping=${encodeURIComponent('{"company":"Organisation"}')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toMatch(/no column "Organisation"/);
    const noCompany = await upload('Name,Email\nAnn,ann@customer.test\n', token);
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.message).toMatch(/No column holds the company/);
    const latin1 = await api('POST', '/imports', {
      raw: Buffer.from('Company;City\nM\xfcller;K\xf6ln\n', 'latin1') as never,
      token,
      headers: { 'content-type': 'text/csv' },
    });
    expect(latin1.status).toBe(400);
    expect(latin1.body.message).toMatch(/not UTF-8/);
    // The mapping a person gives wins over the guess: the city read as the company.
    const mapped = await upload(file.csv, token, `?dryRun=true&mapping=${encodeURIComponent('{"company":"Ort","city":""}')}`);
    expect(mapped.status).toBe(200);
    expect(mapped.body.mapping.company).toBe('Ort');
    expect(mapped.body.mapping.city).toBeUndefined();
    expect((await upload(file.csv, sm, '?dryRun=true')).status).toBe(403);
    expect(await recordCount()).toBe(before);
  }, 300_000);

  it('exports the leads as CSV a spreadsheet reads, each SM only their own', async () => {
    const token = await tokenFor(admin, 'SalesAdmin');
    // Read as bytes: a browser's text() would drop the BOM this checks.
    const answer = await fetch(`${stack.api}/exports/leads.csv?owner=${encodeURIComponent(dach)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(answer.status, bytes.toString('utf8', 0, 300)).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'Id',
      'Created (UTC)',
      'Status',
      'Owner',
      'Company',
      'Contact',
      'E-mail',
      'Phone',
      'Country',
      'Channel',
      'Source',
      'Campaign',
      'Opportunity',
      'Updated (UTC)',
    ]);
    const ours = rows.filter((row) => row['E-mail']!.includes(tag));
    const germanSpeaking = file.emails.filter((email) => ['DE', 'AT', 'CH'].includes(file.countries.get(email)!));
    expect(ours.map((row) => row['E-mail']).sort()).toEqual([...germanSpeaking].sort());
    for (const row of rows) {
      expect(row.Owner).toBe(dach);
      expect(row['Created (UTC)']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }
    // Accents survive the round trip.
    expect(ours.some((row) => /[äöüßéïáëøł]/i.test(row.Contact!))).toBe(true);

    // The DACH SM's own export: their leads only; another SM's is a 403.
    const sm = await tokenFor(dach, 'SalesManager');
    const own = parse((await api('GET', '/exports/leads.csv', { token: sm })).body as string, { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(own.length).toBeGreaterThanOrEqual(germanSpeaking.length);
    expect(new Set(own.map((row) => row.Owner))).toEqual(new Set([dach]));
    const refused = await api('GET', `/exports/leads.csv?owner=${encodeURIComponent(uk)}`, { token: sm });
    expect(refused.status).toBe(403);

    // Money as a plain number with two decimals: an opportunity qualified from an imported lead.
    const german = germanSpeaking.find((email) => file.countries.get(email) === 'DE')!;
    const qualified = await api('POST', `/leads/${importedLeadId(german)}/qualification`, { body: qualificationBody(12_345.5), token: sm });
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(201);
    const opportunities = parse((await api('GET', '/exports/opportunities.csv', { token: sm })).body as string, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(opportunities.find((row) => row.Id === qualified.body.opportunityId)).toMatchObject({
      'Estimated value (GBP)': '12345.50',
      Owner: dach,
    });
    expect((await api('GET', '/exports/invoices.csv', { token })).status).toBe(404);

    // The imported accounts, with the address the file gave, each listing its contacts.
    const accounts = parse((await api('GET', `/exports/accounts.csv?owner=${encodeURIComponent(dach)}`, { token })).body as string, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    const imported = accounts.filter((row) => row.Name!.includes(tag));
    expect(imported.length).toBeGreaterThan(0);
    for (const row of imported) {
      expect(row).toMatchObject({ Kind: 'customer', Owner: dach, 'Served by': 'direct' });
      expect(['DE', 'AT', 'CH']).toContain(row.Country);
    }
    // An account whose only row repeated an address seen before lists no contact; the others list theirs.
    expect(imported.filter((row) => Number(row.Contacts) >= 1).length).toBeGreaterThan(imported.length / 2);
    expect(imported.some((row) => row.Address === 'Hauptstraße 0;\nHinterhaus' || /High Street|Hauptstraße/.test(row.Address!))).toBe(true);
  }, 300_000);
});
