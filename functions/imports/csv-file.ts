import { parse } from 'csv-parse/sync';

/**
 * A CRM's CSV export as rows of cells by header: a UTF-8 BOM dropped, the separator sniffed from the
 * header line (`,` `;` or tab: spreadsheets in much of Europe write `;`), quoted fields may hold the
 * separator and line breaks. Each row keeps the line it starts on, for the report.
 */

export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvFile {
  separator: string;
  headers: string[];
  rows: CsvRow[];
}

export class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
}

/** The separator the header line uses most, outside quotes. */
export const sniffSeparator = (text: string): string => {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![1] > 0 ? [...counts].sort((a, b) => b[1] - a[1])[0]![0] : ',';
};

export const readCsv = (text: string): CsvFile => {
  const body = text.replace(/^\uFEFF/, '');
  const separator = sniffSeparator(body);
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(body, {
      delimiter: separator,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      raw: true,
      // Empty lines are records too (dropped below), so every record starts after the previous one.
      skip_empty_lines: false,
      trim: false,
    }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFile(`The file is not CSV we can read: ${message}`);
  }
  const [header, ...rest] = records;
  if (!header) throw new UnreadableFile('The file is empty: it needs a header line naming its columns');
  const headers = header.record.map((name) => name.trim());
  if (headers.every((name) => !name)) throw new UnreadableFile('The first line names no columns');
  const rows: CsvRow[] = [];
  // Lines counted from each record's own text, however the file ends its lines (CRLF, LF, CR).
  const linesIn = (raw: string) => (raw.match(/\r\n|\n|\r/g) ?? []).length;
  let line = 1 + linesIn(header.raw);
  for (const { record, raw } of rest) {
    const starts = line;
    line += linesIn(raw);
    if (record.every((cell) => !cell.trim())) continue;
    rows.push({ line: starts, cells: Object.fromEntries(headers.map((name, i) => [name, record[i] ?? ''])) });
  }
  return { separator, headers, rows };
};
