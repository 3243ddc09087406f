import { randomBytes, randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';

/**
 * An email as a raw MIME message, what SES SendRawEmail takes: RFC 5322 headers with CRLF line
 * ends, RFC 2047 encoded-words for any header text that is not plain ASCII, text and html as a
 * multipart/alternative, attachments in base64 beside them in a multipart/mixed (RFC 2045-2046),
 * and their non-ASCII file names in RFC 2231. Every line stays within 78 characters except an
 * unbreakable header word (a long URL), well under the 998 that SMTP allows.
 */

export interface Mailbox {
  name?: string;
  address: string;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MessageParts {
  from: string | Mailbox;
  to: readonly (string | Mailbox)[];
  subject: string;
  text: string;
  html?: string;
  /** Written first, as given: printable ASCII only (List-Unsubscribe and the like). */
  headers?: Readonly<Record<string, string>>;
  attachments?: readonly MessageAttachment[];
  /** The Date header's time; now unless a test fixes it. */
  date?: Date;
}

const crlf = '\r\n';
const headerLineLimit = 78;
const bodyLineLimit = 76;

/** A line break in a subject or name would start a header of its own: it becomes a space. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

/** Printable ASCII that no reader would take for an encoded-word. */
const isPlainText = (value: string) => /^[\x20-\x7e\t]*$/.test(value) && !value.includes('=?');

/**
 * RFC 2047 "B" encoded-words, each whole characters (an emoji is never split) and short enough
 * that "Subject: " plus one word stays within the header line limit.
 */
const encodedWords = (value: string): string[] => {
  const words: string[] = [];
  let chunk = '';
  for (const character of value) {
    if (Buffer.byteLength(chunk + character) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk || words.length === 0) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`);
};

/** Header words joined by spaces, folded (CRLF + the space) where a line would grow too long. */
const header = (name: string, words: readonly string[]) => {
  let text = `${name}:`;
  let lineLength = text.length;
  for (const word of words) {
    // Never fold before an empty word: a folded line of whitespace alone is not allowed.
    if (word && lineLength + 1 + word.length > headerLineLimit && lineLength > name.length + 1) {
      text += `${crlf} ${word}`;
      lineLength = 1 + word.length;
    } else {
      text += ` ${word}`;
      lineLength += 1 + word.length;
    }
  }
  return text;
};

/** A header value and its parameters, each parameter on a folded line of its own if need be. */
const headerWithParameters = (name: string, value: string, parameters: readonly string[]) => {
  let text = `${name}: ${value}`;
  let lineLength = text.length;
  for (const parameter of parameters) {
    if (lineLength + 2 + parameter.length > headerLineLimit) {
      text += `;${crlf} ${parameter}`;
      lineLength = 1 + parameter.length;
    } else {
      text += `; ${parameter}`;
      lineLength += 2 + parameter.length;
    }
  }
  return text;
};

const textWords = (value: string) => {
  const line = oneLine(value);
  return isPlainText(line) ? line.split(' ') : encodedWords(line);
};

const quoted = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;

/** The address itself: ASCII (an international domain in punycode), nothing that ends it early. */
const addressOf = (address: string) => {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = domainToASCII(address.slice(at + 1));
  if (at < 1 || !domain || !/^[\x21-\x7e]+$/.test(local) || /[<>,;"\\]/.test(local)) {
    throw new Error('not an address a MIME message can carry');
  }
  return `${local}@${domain}`;
};

/** A display name as atoms, a quoted string (commas, quotes, dots) or encoded-words (non-ASCII). */
const mailboxWords = (mailbox: string | Mailbox): string[] => {
  const { name, address } = typeof mailbox === 'string' ? { name: undefined, address: mailbox } : mailbox;
  const display = oneLine(name ?? '').trim();
  const angle = `<${addressOf(address)}>`;
  if (!display) return [addressOf(address)];
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(display) && !display.includes('=?')) return [...display.split(/ +/), angle];
  if (isPlainText(display)) return [quoted(display), angle];
  return [...encodedWords(display), angle];
};

const mailboxListWords = (mailboxes: readonly (string | Mailbox)[]) =>
  mailboxes.flatMap((mailbox, index) => {
    const words = mailboxWords(mailbox);
    if (index < mailboxes.length - 1) words[words.length - 1] += ',';
    return words;
  });

const lines = (text: string) => text.split(/\r\n|\r|\n/);

const quotedPrintableLine = (line: string) => {
  const bytes = Buffer.from(line);
  const out: string[] = [];
  let current = '';
  bytes.forEach((byte, index) => {
    const last = index === bytes.length - 1;
    // Space and tab stay as they are except at a line's end, where mail transports may strip them.
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    const token = literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + token.length > bodyLineLimit - 1) {
      out.push(`${current}=`);
      current = '';
    }
    current += token;
  });
  out.push(current);
  return out.join(crlf);
};

interface Part {
  headers: string[];
  body: string;
}

/** Short plain-ASCII text goes as it is (7bit); anything else in quoted-printable. */
const textPart = (subtype: 'plain' | 'html', content: string): Part => {
  const asIs = /^[\t\n\r\x20-\x7e]*$/.test(content) && lines(content).every((line) => line.length <= bodyLineLimit);
  return {
    headers: [`Content-Type: text/${subtype}; charset=utf-8`, `Content-Transfer-Encoding: ${asIs ? '7bit' : 'quoted-printable'}`],
    body: asIs ? lines(content).join(crlf) : lines(content).map(quotedPrintableLine).join(crlf),
  };
};

/** RFC 2231 extended value: UTF-8, percent-encoded, in continuations short enough to fold. */
const extendedParameter = (name: string, value: string) => {
  const encoded = [...Buffer.from(value)]
    .map((byte) =>
      /[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  const pieces = encoded.match(/(?:%[0-9A-F]{2}|[^%]){1,20}/g) ?? [''];
  const chunks: string[] = [];
  for (const piece of pieces) {
    if (chunks.length && chunks[chunks.length - 1]!.length + piece.length <= 60) chunks[chunks.length - 1] += piece;
    else chunks.push(piece);
  }
  if (chunks.length === 1) return [`${name}*=utf-8''${chunks[0]}`];
  return chunks.map((chunk, index) => `${name}*${index}*=${index === 0 ? "utf-8''" : ''}${chunk}`);
};

const attachmentPart = (attachment: MessageAttachment): Part => {
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(attachment.contentType)) throw new Error('not a MIME content type');
  const filename = oneLine(attachment.filename).replace(/[\x00-\x1f\x7f]/g, '');
  // Plain names quoted; others in RFC 2231 for the disposition, and the encoded-word "name" that older Outlook reads.
  const plain = isPlainText(filename);
  const base64 = Buffer.from(attachment.content).toString('base64');
  return {
    headers: [
      headerWithParameters('Content-Type', attachment.contentType, [`name=${quoted(plain ? filename : encodedWords(filename).join(' '))}`]),
      'Content-Transfer-Encoding: base64',
      headerWithParameters(
        'Content-Disposition',
        'attachment',
        plain ? [`filename=${quoted(filename)}`] : extendedParameter('filename', filename),
      ),
    ],
    body: base64.match(new RegExp(`.{1,${bodyLineLimit}}`, 'g'))?.join(crlf) ?? '',
  };
};

/** "=_" cannot occur in quoted-printable or base64 text, and the random part not in 7bit text. */
const multipart = (subtype: 'mixed' | 'alternative', parts: readonly Part[]): Part => {
  const boundary = `=_part_${randomBytes(16).toString('hex')}`;
  return {
    headers: [headerWithParameters('Content-Type', `multipart/${subtype}`, [`boundary="${boundary}"`])],
    body: `${parts.map((part) => `--${boundary}${crlf}${render(part)}${crlf}`).join('')}--${boundary}--`,
  };
};

const render = (part: Part) => `${part.headers.join(crlf)}${crlf}${crlf}${part.body}`;

/** RFC 5322 date: "Wed, 02 Dec 2026 01:29:22 +0000". */
const mailDate = (date: Date) => date.toUTCString().replace(/GMT$/, '+0000');

/**
 * The message, ready for SES: the extra headers, From, To, Subject, Message-ID, Date,
 * MIME-Version, then the body: text (and html as its alternative), attachments beside them.
 */
export const composeMessage = (message: MessageParts): Uint8Array => {
  const extra = Object.entries(message.headers ?? {}).map(([name, value]) => {
    if (!/^[!-9;-~]+$/.test(name) || !/^[\x20-\x7e\t]*$/.test(value))
      throw new Error(`header ${JSON.stringify(name)} is not printable ASCII`);
    return header(name, value.split(' '));
  });
  const fromAddress = typeof message.from === 'string' ? message.from : message.from.address;
  const content =
    message.html === undefined
      ? textPart('plain', message.text)
      : multipart('alternative', [textPart('plain', message.text), textPart('html', message.html)]);
  const body = message.attachments?.length ? multipart('mixed', [content, ...message.attachments.map(attachmentPart)]) : content;
  const headers = [
    ...extra,
    header('From', mailboxWords(message.from)),
    header('To', mailboxListWords(message.to)),
    header('Subject', textWords(message.subject)),
    `Message-ID: <${randomUUID()}@${addressOf(fromAddress).split('@')[1]}>`,
    `Date: ${mailDate(message.date ?? new Date())}`,
    'MIME-Version: 1.0',
    ...body.headers,
  ];
  // After a closing boundary a line end; after a single part's text none, or it would join the text.
  const end = message.html !== undefined || message.attachments?.length ? crlf : '';
  return Buffer.from(`${headers.join(crlf)}${crlf}${crlf}${body.body}${end}`);
};
