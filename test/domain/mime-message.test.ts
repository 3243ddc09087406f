import { randomBytes } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMessage, type MessageParts } from '#adapters/mime-message';

/** Composed here, read back by mailparser (the nodemailer authors' parser, what mail clients do). */
const roundTrip = async (parts: MessageParts) => {
  const raw = Buffer.from(composeMessage(parts)).toString('latin1');
  return { raw, parsed: await simpleParser(raw) };
};

const plain = { from: 'sales@salesflow.example', to: ['ann@acme.test'], subject: 'Your brochure', text: 'Hi Ann', html: '<p>Hi Ann</p>' };

const addresses = (field: ParsedMail['to']) => (field as AddressObject).value.map(({ name, address }) => ({ name, address }));

const lineBreaks = (raw: string) => raw.match(/\r?\n|\r/g) ?? [];

describe('a raw MIME message', () => {
  it('is CRLF throughout, every line within 78 characters, with the headers SES and readers expect', async () => {
    const { raw, parsed } = await roundTrip({ ...plain, date: new Date('2026-12-02T01:29:22Z') });
    expect(lineBreaks(raw).every((end) => end === '\r\n')).toBe(true);
    expect(raw.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    const names = parsed.headerLines.map(({ key }) => key);
    expect(names).toEqual(['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type']);
    expect(raw).toMatch(/^Date: Wed, 02 Dec 2026 01:29:22 \+0000\r$/m);
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@salesflow\.example>$/);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed).toMatchObject({ subject: 'Your brochure', text: 'Hi Ann', html: '<p>Hi Ann</p>', attachments: [] });
    expect(addresses(parsed.from)).toEqual([{ name: '', address: 'sales@salesflow.example' }]);
  });

  it('a text-only message is one text/plain part', async () => {
    const { raw, parsed } = await roundTrip({ ...plain, html: undefined });
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    expect(raw).not.toContain('multipart');
    expect(parsed.text).toBe('Hi Ann');
    expect(parsed.html).toBe(false);
  });

  it('subjects with accents and emoji come back as written, in encoded-words within the line limit', async () => {
    const subject = 'Ünïcødé quote 🎉 for Société Générale — Q-2026-0042, long enough to fold 🚀🚀🚀 onto more lines';
    const { raw, parsed } = await roundTrip({ ...plain, subject });
    expect(parsed.subject).toBe(subject);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(raw.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    // Plain ASCII stays readable; a long one is folded and unfolds to the same text.
    const long = `Your quote ${'and more words '.repeat(8)}end`;
    const folded = await roundTrip({ ...plain, subject: long });
    expect(folded.parsed.subject).toBe(long);
    expect(folded.raw).toMatch(/^Subject: Your quote and more/m);
  });

  it('display names with commas, quotes, accents and emoji; addresses come back intact', async () => {
    const to = [
      { name: 'Smith, Ann "The Buyer"', address: 'ann@acme.test' },
      { name: 'Jürgen Müller 🏭', address: 'j.mueller@werk.example' },
      { name: 'Bob Jones', address: 'bob@acme.test' },
      'plain@acme.test',
    ];
    const from = { name: 'Salesflow, Sales Team', address: 'sales@salesflow.example' };
    const { parsed } = await roundTrip({ ...plain, from, to });
    expect(addresses(parsed.to)).toEqual([
      { name: 'Smith, Ann "The Buyer"', address: 'ann@acme.test' },
      { name: 'Jürgen Müller 🏭', address: 'j.mueller@werk.example' },
      { name: 'Bob Jones', address: 'bob@acme.test' },
      { name: '', address: 'plain@acme.test' },
    ]);
    expect(addresses(parsed.from)).toEqual([from]);
  });

  it('a line break in a subject or name cannot add a header', async () => {
    const { parsed } = await roundTrip({
      ...plain,
      subject: 'Hello\r\nBcc: victim@elsewhere.test',
      to: [{ name: 'Ann\nBcc: other@elsewhere.test', address: 'ann@acme.test' }],
    });
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Hello Bcc: victim@elsewhere.test');
  });

  it('long lines and non-ASCII bodies go quoted-printable within 76 characters and come back exact', async () => {
    const text = `Grüße, Ann!\n${'A long line of the quote terms that goes on '.repeat(6)}\nTrailing space \nTab\tend\t\n=?not a word?= and = signs\n\nLast 🎉`;
    const html = `<p>${'é'.repeat(120)}</p>\n<p>${'x'.repeat(200)}</p>`;
    const { raw, parsed } = await roundTrip({ ...plain, text, html });
    expect(raw).toMatch(/^Content-Transfer-Encoding: quoted-printable\r$/m);
    expect(raw.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
  });

  it('a PDF attached: multipart/mixed, base64 in 76-character lines, its bytes and name come back equal', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5000), Buffer.from('\n%%EOF\n')]);
    const { raw, parsed } = await roundTrip({
      ...plain,
      attachments: [
        { filename: 'Quote Q-2026-0042.pdf', contentType: 'application/pdf', content: pdf },
        {
          filename: 'Angebot für Müller & Söhne — a name long enough to need continuations "2026".pdf',
          contentType: 'application/pdf',
          content: new Uint8Array([0, 1, 2, 255]),
        },
        { filename: 'notes "v2".pdf', contentType: 'application/pdf', content: new Uint8Array() },
      ],
    });
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    const base64Lines = raw.split('\r\n').filter((line) => /^[A-Za-z0-9+/=]{60,}$/.test(line));
    expect(base64Lines.length).toBeGreaterThan(60);
    expect(base64Lines.every((line) => line.length <= 76)).toBe(true);
    expect(parsed.attachments.map(({ filename, contentType }) => ({ filename, contentType }))).toEqual([
      { filename: 'Quote Q-2026-0042.pdf', contentType: 'application/pdf' },
      { filename: 'Angebot für Müller & Söhne — a name long enough to need continuations "2026".pdf', contentType: 'application/pdf' },
      { filename: 'notes "v2".pdf', contentType: 'application/pdf' },
    ]);
    expect(Buffer.compare(parsed.attachments[0]!.content, pdf)).toBe(0);
    expect([...parsed.attachments[1]!.content]).toEqual([0, 1, 2, 255]);
    expect(parsed.attachments[2]!.content).toHaveLength(0);
    // Text and html are still the alternatives beside the attachments.
    expect(parsed).toMatchObject({ text: 'Hi Ann', html: '<p>Hi Ann</p>' });
  });

  it('List-Unsubscribe and List-Unsubscribe-Post go as given, before the others (RFC 2369, RFC 8058)', async () => {
    const url = `https://api.salesflow.example/unsubscribe/v1.${'A'.repeat(80)}.1.def`;
    const { raw, parsed } = await roundTrip({
      ...plain,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(parsed.headerLines.slice(0, 3).map(({ key }) => key)).toEqual(['list-unsubscribe', 'list-unsubscribe-post', 'from']);
    expect(raw).toMatch(new RegExp(`^List-Unsubscribe: <${url.replace(/\./g, '\\.')}>\r$`, 'm'));
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(parsed.headers.get('list')).toMatchObject({ unsubscribe: { url } });
  });

  it('refuses what it cannot write safely: a header with a line break, a bad address or content type', () => {
    expect(() => composeMessage({ ...plain, headers: { 'X-Note': 'a\r\nBcc: x@y.test' } })).toThrow();
    expect(() => composeMessage({ ...plain, to: ['ann@acme.test>, other@x.test'] })).toThrow();
    expect(() =>
      composeMessage({ ...plain, attachments: [{ filename: 'x', contentType: 'text/plain\r\nX: y', content: new Uint8Array() }] }),
    ).toThrow();
  });

  it('each message has its own boundaries and Message-ID', async () => {
    const one = await roundTrip({
      ...plain,
      attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: new Uint8Array([1]) }],
    });
    const two = await roundTrip({
      ...plain,
      attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: new Uint8Array([1]) }],
    });
    const boundaries = (raw: string) => [...raw.matchAll(/boundary="([^"]+)"/g)].map((match) => match[1]);
    expect(boundaries(one.raw)).toHaveLength(2);
    expect(new Set([...boundaries(one.raw), ...boundaries(two.raw)]).size).toBe(4);
    expect(one.parsed.messageId).not.toBe(two.parsed.messageId);
  });
});
