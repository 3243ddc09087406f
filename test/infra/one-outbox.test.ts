import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every email travels one road: queued in the outbox, sent only by the mail delivery function. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

describe('one outbox', () => {
  it('no function but mail delivery sends through SES', () => {
    const senders = sources('functions')
      .filter((file) => /@aws-sdk\/client-ses|#adapters\/ses-mailer|sendEmail\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative('.', file));
    expect(senders.sort()).toEqual(['functions/adapters/ses-mailer.ts', 'functions/mail/deliver.ts']);
  });
});
