import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, Contact } from '#domain/account';
import type { Order } from '#domain/order';
import type { Quote } from '#domain/quote';
import { orderTeam, suspectRetentionMonths, tableName } from '#functions/config';
import { db, queryAll } from './dynamodb';
import { leadOfTheDay } from './lead-records';
import { emailHash } from './person-key';
import { refileTerms } from './search-refile';
import { itemKind, keys, personIndex } from './table-design';
import { fromItem, type Item, readRecord } from './table-items';

/**
 * GDPR articles 15, 17 and 20: what the table holds about a person, found through the person
 * index (the hash of their address), and its erasure. O(their items), never a scan.
 */
const about = async (email: string) => {
  const named = await queryAll({
    TableName: tableName(),
    IndexName: personIndex.name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': personIndex.partitionKey },
    ExpressionAttributeValues: { ':p': personIndex.partition(emailHash(email)) },
  });
  // A lead is theirs whole: its timeline and every email filed under it.
  const leadPks = [...new Set(named.filter((item) => item.itemType === itemKind.lead).map((item) => String(item.pk)))];
  const leadItems = (await Promise.all(leadPks.map(collection))).flat();
  // An account lists them among its contacts: the account is kept, the contact is theirs.
  const contactItems = named.filter((item) => item.itemType === itemKind.accountContact);
  const accounts = (
    await Promise.all(contactItems.map((item) => readRecord<Account>({ pk: String(item.pk), sk: keys.account('').sk })))
  ).filter((account): account is Account => Boolean(account));
  return { named, leadPks, leadItems, contactItems, accounts };
};

const collection = (pk: string) =>
  queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });

const isThem = (email: string) => (contact: Pick<Contact, 'email'> | undefined) =>
  contact?.email?.toLowerCase() === email.trim().toLowerCase();

/** Art. 15/20: everything held about them, by record. */
export const personalData = async (email: string) => {
  const { named, leadPks, leadItems, accounts } = await about(email);
  const of = (kind: string) => named.filter((item) => item.itemType === kind).map((item) => fromItem<Item>(item));
  return {
    leads: leadPks.map((pk) => {
      const items = leadItems.filter((item) => item.pk === pk);
      return {
        ...fromItem<Item>(items.find((item) => item.itemType === itemKind.lead)!),
        timeline: items.filter((item) => item.itemType === itemKind.timeline).map((item) => fromItem<Item>(item)),
      };
    }),
    emails: [
      ...leadItems.filter((item) => item.itemType === itemKind.email),
      ...named.filter((item) => item.itemType === itemKind.email && !leadPks.includes(String(item.pk))),
    ].map((item) => fromItem<Item>(item)),
    quotes: of(itemKind.quote),
    orders: of(itemKind.order),
    accounts: accounts.map((account) => ({
      id: account.id,
      kind: account.kind,
      name: account.name,
      contacts: account.contacts.filter(isThem(email)),
    })),
  };
};

/** Deletes items by key, 25 at a time (DeleteItem: the functions that erase write no batches). */
const deleteAll = async (listed: Item[]) => {
  // An email to them under their lead is found twice (by the index and in the lead): once is enough.
  const items = [...new Map(listed.map((item) => [`${String(item.pk)}\u0000${String(item.sk)}`, item])).values()];
  for (let i = 0; i < items.length; i += 25) {
    await Promise.all(
      items.slice(i, i + 25).map((item) => db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }))),
    );
  }
};

const update = (key: Item, fields: Record<string, unknown>, also = '') => {
  const names = Object.keys(fields);
  return db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')} ${also}`.trim(),
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
    }),
  );
};

/**
 * Art. 17: their leads (with timelines and emails) and the emails sent them are deleted; quotes,
 * orders and accounts, kept for their legal retention, name `reference` instead of them, in every
 * field and in the documents filed with them, and leave the index; an order's website login is
 * deleted. What it did is returned as counts, for the erasure record.
 */
export const erasePerson = async (email: string, reference: string, now: string) => {
  const { named, leadItems, contactItems, accounts } = await about(email);
  const pseudonym = { name: `Erased person ${reference}`, email: `erased-${reference}@invalid` };
  const them = isThem(email);
  const emails = named.filter((item) => item.itemType === itemKind.email);
  const quotes = named.filter((item) => item.itemType === itemKind.quote);
  const orders = named.filter((item) => item.itemType === itemKind.order);
  const leads = leadItems.filter((item) => item.itemType === itemKind.lead);
  // The names they were known by, wherever a record holds them beside their address.
  const names = new Set(
    [
      ...leads.map((lead) => (lead.contact as Contact | undefined)?.name),
      ...quotes.map((quote) => (quote.customer as Contact | undefined)?.name),
      ...orders.flatMap((order) =>
        [order.userContact as Contact, (order.customer as Order['customer']).contact].filter(them).map((contact) => contact!.name),
      ),
      ...accounts.flatMap((account) => account.contacts.filter(them).map((contact) => contact.name)),
    ].filter((name): name is string => typeof name === 'string' && name.trim().length >= 3),
  );

  const logins = orders.map((order) => ({ ...keys.webLogin(String(order.id)) }));
  const markers = [
    leadOfTheDay(email, now),
    leadOfTheDay(email, new Date(Date.parse(now) - 86_400_000).toISOString()),
    // Issue 15: the markers a new lead of the same address would find as its possible duplicate.
    keys.duplicateMark('EMAIL', emailHash(email), 'LEAD'),
    keys.duplicateMark('EMAIL', emailHash(email), 'ACCOUNT'),
  ];
  await deleteAll([...leadItems, ...emails, ...logins, ...markers, ...contactItems]);

  const unindex = `REMOVE ${personIndex.partitionKey}, ${personIndex.sortKey}`;
  for (const quote of quotes) await update(quote, { customer: { ...(quote.customer as object), ...pseudonym } }, unindex);
  for (const order of orders) await update(order, { userContact: pseudonym }, unindex);
  for (const account of accounts) {
    await update(keys.account(account.id), {
      contacts: account.contacts.map((contact) => (them(contact) ? { name: pseudonym.name, email: pseudonym.email } : contact)),
    });
  }

  // What the kept records' timelines, emails and qualification notes say of them names the reference instead.
  const keptPks = [
    ...quotes.map((quote) => String(quote.pk)),
    ...orders.map((order) => String(order.pk)),
    ...accounts.map((account) => keys.account(account.id).pk),
    ...leads.filter((lead) => lead.opportunityId).map((lead) => keys.opportunity(String(lead.opportunityId)).pk),
  ];
  const replacements = [
    { pattern: literal(email), by: pseudonym.email },
    ...[...names].map((name) => ({
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapePattern(name)}(?![\\p{L}\\p{N}])`, 'giu'),
      by: pseudonym.name,
    })),
  ];
  let mentions = 0;
  for (const pk of new Set(keptPks)) {
    for (const item of await collection(pk)) {
      const rewritten = mentionsReplaced(item, replacements);
      if (!rewritten) continue;
      mentions += 1;
      await update(item, rewritten);
    }
  }
  // Search terms are normalised ("muller" for "Müller"), so no replacement above finds them: each
  // kept record's terms are written again from the record as it now reads.
  for (const pk of new Set(keptPks)) await refileTerms(pk);
  const documents = await redactDocuments(
    quotes.map((quote) => String(quote.id)),
    orders.map((order) => String(order.id)),
    { reference, at: now },
  );
  return {
    leads: leads.length,
    emails: emails.length,
    quotes: quotes.length,
    orders: orders.length,
    accounts: accounts.length,
    mentions,
    documents,
  };
};

const escapePattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const literal = (text: string) => new RegExp(escapePattern(text), 'gi');

/** The text fields of an item that name them, rewritten; undefined when none does. Documents' bytes are redrawn apart. */
const mentionsReplaced = (item: Item, replacements: { pattern: RegExp; by: string }[]): Record<string, unknown> | undefined => {
  const changed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (['pk', 'sk', 'content'].includes(name) || value instanceof Uint8Array) continue;
    const text = JSON.stringify(value);
    const replaced = replacements.reduce((result, { pattern, by }) => result.replace(pattern, by), text);
    if (replaced !== text) changed[name] = JSON.parse(replaced);
  }
  return Object.keys(changed).length ? changed : undefined;
};

/**
 * A PDF filed with a kept record (the quote the customer signed for, the Welcome Letter) is drawn
 * again from the record as it now reads, on its first date. What was signed stays provable: the
 * quote keeps the signed document's SHA-256, and the redrawn one says which erasure made it.
 */
const redactDocuments = async (quoteIds: string[], orderIds: string[], erasure: { reference: string; at: string }) => {
  if (quoteIds.length + orderIds.length === 0) return 0;
  // The PDF writer loads only for an erasure that has documents to redraw.
  const { renderQuoteDocument, renderWelcomeLetter } = await import('./pdf-documents');
  let redrawn = 0;
  for (const id of quoteIds) {
    const quote = await readRecord<Quote>(keys.quote(id));
    if (!quote?.document) continue;
    await redraw(keys.quoteDocument(id), await renderQuoteDocument(quote, quote.document.renderedAt), erasure);
    await update(keys.quote(id), { document: { ...quote.document, redactedBy: erasure.reference } });
    redrawn += 1;
  }
  for (const id of orderIds) {
    const order = await readRecord<Order>(keys.order(id));
    if (!order?.welcomeLetter) continue;
    const team = orderTeam();
    const letter = await renderWelcomeLetter(order, { support: team.support, website: team.website }, order.createdAt);
    const sha256 = await redraw(keys.document(keys.order(id).pk, 'welcome-letter'), letter, erasure);
    await update(keys.order(id), { welcomeLetter: { ...order.welcomeLetter, sha256 } });
    redrawn += 1;
  }
  return redrawn;
};

const redraw = async (key: { pk: string; sk: string }, content: Uint8Array, erasure: { reference: string; at: string }) => {
  const sha256 = createHash('sha256').update(content).digest('hex');
  await update(key, { content, sha256, bytes: content.length, redacted: erasure });
  return sha256;
};

/** The erasure itself, without the personal data: a reference, when, by whom, why, what was done. */
export const recordErasure = async (erasure: { id: string; at: string; by: string; reason: string; counts: Record<string, number> }) => {
  await db().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.erasure(erasure.id), itemType: itemKind.erasure, ...erasure } }),
  );
};

/** The moment before which an unqualified suspect is past its retention (data minimisation). */
export const suspectCutoff = (now: Date): string => {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - suspectRetentionMonths());
  return cutoff.toISOString();
};

/**
 * Unqualified suspects logged before `cutoff`, oldest first, deleted whole: the lead, its timeline
 * and its emails. Read from the leads-by-status index, so a run costs what it deletes.
 */
export const eraseExpiredSuspects = async (cutoff: string, limit: number): Promise<number> => {
  const { Items: expired = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :status AND gsi1sk < :cutoff',
      ExpressionAttributeValues: { ':status': keys.leadsByStatus('suspect'), ':cutoff': cutoff },
      Limit: limit,
    }),
  );
  for (const lead of expired) await deleteAll(await collection(String(lead.pk)));
  return expired.length;
};
