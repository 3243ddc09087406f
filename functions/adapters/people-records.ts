import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { NotAllowed } from '#domain/errors';
import { maxManagerDepth, type Person } from '#domain/people';
import { tableName } from '#functions/config';
import { db, failedConditions, writeTogether } from './dynamodb';
import { itemKind, keys } from './table-design';
import { fromItem } from './table-items';

/**
 * The people directory in the table: each person twice, by sub and by email, written together, so
 * an email names at most one person. A minute's cache per container: a request costs one read.
 */
const cacheMillis = 60_000;
const bySub = new Map<string, { person: Person | undefined; until: number }>();
const byEmail = new Map<string, { person: Person | undefined; until: number }>();

const cached = async (cache: typeof bySub, id: string, read: () => Promise<Person | undefined>) => {
  const hit = cache.get(id);
  if (hit && hit.until > Date.now()) return hit.person;
  const person = await read();
  cache.set(id, { person, until: Date.now() + cacheMillis });
  return person;
};

const readPerson = async (key: { pk: string; sk: string }): Promise<Person | undefined> => {
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: key })))?.Item;
  return item?.itemType === itemKind.person ? fromItem<Person>(item) : undefined;
};

export const findPerson = (sub: string) => cached(bySub, sub, () => readPerson(keys.person(sub)));
export const findPersonByEmail = (email: string) => cached(byEmail, email.toLowerCase(), () => readPerson(keys.personByEmail(email)));

/**
 * Someone signed in for the first time: they join the directory with the verified email they
 * signed in with, unless that email is someone else's already (a changed or forged email).
 */
export const enrolPerson = async (person: Person): Promise<Person> => {
  const items = [keys.person(person.sub), keys.personByEmail(person.email)].map((key) => ({
    Put: {
      TableName: tableName(),
      Item: { ...key, itemType: itemKind.person, ...person },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  try {
    await writeTogether(items);
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed) throw error;
    // Enrolled meanwhile by a request of their own: theirs is the directory's entry.
    const mine = await readPerson(keys.person(person.sub));
    if (mine) return mine;
    throw new NotAllowed(`${person.email} is another person's in the people directory; ask an administrator`);
  }
  bySub.delete(person.sub);
  return person;
};

/** People this container knows already (a seed it wrote, a test's cast): no read for them for a minute. */
export const knownPeople = (people: readonly Person[]) => {
  const until = Date.now() + cacheMillis;
  for (const person of people) {
    bySub.set(person.sub, { person, until });
    byEmail.set(person.email.toLowerCase(), { person, until });
  }
};

/**
 * The local seed: the people of the process settings, written as they are. The local stack passes
 * a client of its own, so the handlers' shared one is still made on their first use.
 */
export const seedPeople = async (people: readonly Person[], client: DynamoDBDocumentClient) => {
  for (const person of people) {
    for (const key of [keys.person(person.sub), keys.personByEmail(person.email)]) {
      await client.send(new PutCommand({ TableName: tableName(), Item: { ...key, itemType: itemKind.person, ...person } }));
    }
  }
};

/** Everyone above `email` in the directory, nearest first. */
export const managersOf = async (email: string): Promise<string[]> => {
  const chain: string[] = [];
  let next = (await findPersonByEmail(email))?.manager;
  while (next && !chain.includes(next) && chain.length < maxManagerDepth) {
    chain.push(next.toLowerCase());
    next = (await findPersonByEmail(next))?.manager;
  }
  return chain;
};
