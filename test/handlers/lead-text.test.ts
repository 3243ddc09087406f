import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/leads/index';
import { call, jsonHeaders, validLead } from './requests';

/** Finding 6, "a poison string": POST /leads stores only well-formed text, or says which field is not. */

const dynamodb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamodb.reset();
});

const postLead = (contact: Partial<typeof validLead.contact>) =>
  call(handler, {
    method: 'POST',
    routeKey: 'POST /leads',
    headers: jsonHeaders,
    // JSON.stringify writes a lone surrogate as the escape \ud800, as a script posting it would.
    body: JSON.stringify({ ...validLead, contact: { ...validLead.contact, ...contact } }),
  });

describe('POST /leads refuses a name that is not well-formed text, and writes nothing', () => {
  it.each([
    ['a lone surrogate', 'A\ud800', 'must not contain broken characters (unpaired surrogates)'],
    ['NUL', 'Ann\u0000Smith', 'must not contain control characters'],
    ['a right-to-left override', 'Ann\u202eSmith', 'must not contain text-direction override characters'],
    ['a left-to-right isolate', 'Ann\u2066Smith', 'must not contain text-direction override characters'],
    ['zero-width characters only', '\u200c\u200d', 'must not be only invisible characters'],
    ['zero-width spaces only', '\u200b\u200b', 'must not be empty'],
  ])('a lead named with %s is a 400 that names contact.name', async (_, name, message) => {
    const { status, body } = await postLead({ name });
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.any(String), errors: [{ path: 'contact.name', message }] });
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('a name sent decomposed ("e" and a combining accent) is stored composed, as "é"', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const { status } = await postLead({ name: 'Ren\u0065\u0301e Dubois', company: '\u200bAcme Ltd ' });
    expect(status).toBe(201);
    const stored = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
    expect(stored.contact).toMatchObject({ name: 'Ren\u00e9e Dubois', company: 'Acme Ltd' });
  });
});
