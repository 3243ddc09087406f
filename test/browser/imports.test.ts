import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { crmExport } from '../fixtures/crm-export';
import { accessible, shoot, signedIn, useChromium } from './chromium';

/**
 * Issue 15 in Chromium: Sales Admin uploads a CRM export on the import page, reads the preview
 * (columns, duplicates, bad rows by line), changes nothing, imports, watches the progress and
 * reads the report; then downloads the leads as CSV. Screenshots land in test-output/browser/.
 */
const { pageIn } = useChromium();

describe('the import page', () => {
  it('uploads, previews, imports with progress, reports, and exports', async () => {
    const tag = `b${Date.now().toString(36)}`;
    const file = crmExport(60, tag);
    const path = join(tmpdir(), `goldmine-${tag}.csv`);
    writeFileSync(path, file.csv);

    const { page, done } = await pageIn({ acceptDownloads: true });
    await signedIn(page, 'sales.admin@salesflow.example', ['SalesAdmin'], '/app/imports.html');
    await expect.poll(() => page.getByRole('link', { name: 'Import and export' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.locator('#no-emails').textContent()).toMatch(/Nobody is emailed/);
    await shoot(page, 'imports-1-page');
    await accessible(page);

    await page.getByLabel('CSV file').setInputFiles(path);
    await page.getByRole('button', { name: 'Check the file' }).click();
    const summary = page.locator('#preview-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain(
      `${file.rows} rows, fields separated by semicolon: ${file.companies} accounts and ${file.emails.length} leads to make`,
    );
    expect(await page.getByLabel('Company', { exact: true }).inputValue()).toBe('Firma');
    expect(await page.getByLabel('E-mail', { exact: true }).inputValue()).toBe('E-Mail');
    const bad = page.getByRole('table').filter({ hasText: 'Rows that cannot be imported' });
    expect(await bad.textContent()).toContain(String(file.badRows[0]!.line));
    await shoot(page, 'imports-2-preview');
    await accessible(page);

    await page.getByRole('button', { name: `Import ${file.companies} accounts and ${file.emails.length} leads` }).click();
    await page.locator('#import-progress').waitFor();
    await shoot(page, 'imports-3-progress');
    await page.locator('#report-summary').waitFor({ timeout: 240_000 });
    expect(await page.locator('#report-summary').textContent()).toMatch(
      new RegExp(
        `${file.companies + file.emails.length} records made, ${file.duplicateLines.length} skipped as duplicates, ${file.badRows.length} failed.*nobody was emailed`,
      ),
    );
    expect(await page.getByRole('table').filter({ hasText: 'Failed rows' }).textContent()).toContain(String(file.badRows[0]!.line));
    await shoot(page, 'imports-4-report');
    await accessible(page);

    // The export link saves the leads as CSV, with the BOM a spreadsheet needs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Leads (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = readFileSync((await download.path())!);
    expect([...saved.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(saved, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.filter((row) => row['E-mail']!.includes(tag)).length).toBe(file.emails.length);
    await expect.poll(() => page.locator('#export-status').textContent()).toMatch(/rows saved/);
    await shoot(page, 'imports-5-exported');

    await done();
  }, 400_000);
});
