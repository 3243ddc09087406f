import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import type { Change } from '#adapters/record-changes';
import { reassignmentBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import { type OwnedKind, reassign } from '#domain/decisions';
import { changesOf, checkVersion, editEntry, nextVersion, patched, versionOf } from '#domain/edit';
import { Conflict, NotFound } from '#domain/errors';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import type { RouteKey } from '#functions/routes';
import { apiRoute, json, type RouteInput } from './api';
import { salesManagerOr400 } from './new-owner';
import { versionHeader, versionSeen } from './versions';

/**
 * What changing a lead, an opportunity or an account shares (issue 15): the record or 404, the
 * owner rule, a PATCH made on the version the editor read (If-Match), a reassignment both SMs hear
 * of, and an answer naming the new version. Each kind says only how it is found, who owns it and
 * how a change is stored.
 */

type Versioned = { id: string; createdAt: string; updatedAt?: string };

/** The attributes of a record that hold a string: where its owner's address is. */
type TextField<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T];

export interface EditedKind<T extends Versioned> {
  kind: OwnedKind;
  find: (id: string) => Promise<T | undefined>;
  /** The attribute naming the owning SM: whom the owner rule asks about, what a reassignment changes. */
  owner: TextField<T>;
}

/** "Lead 42", as refusals and the owner rule name a record. */
const named = (kind: OwnedKind, id: string) => `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${id}`;

const ownerOf = <T extends Versioned>(records: EditedKind<T>, record: T) => record[records.owner] as string;

/** The record a path names: 404 if there is none, 403 unless the caller may act on its owner's records. */
export const recordOr404 = async <T extends Versioned>(
  records: EditedKind<T>,
  id: string,
  actOn: RouteInput<unknown, unknown, unknown>['actOn'],
) => {
  const record = await records.find(id);
  if (!record) throw new NotFound(`No ${records.kind} ${id}`);
  await actOn(ownerOf(records, record), named(records.kind, id));
  return record;
};

/** A change's answer: the record's version, in the body and as the ETag the next If-Match sends back. */
export const versionAnswer = (record: Versioned) =>
  json(200, { id: record.id, version: versionOf(record) }, versionHeader(versionOf(record)));

/** The log line of a change, naming the record as `leadId`, `opportunityId` or `accountId`. */
const logChange = (kind: OwnedKind, done: string, id: string, detail: unknown) =>
  logger.info(`${kind} ${done}`, Object.assign({ [`${kind}Id`]: id }, detail));

/** PATCH: the fields the body names, checked as on create; the timeline says who changed what from what. */
export const editRoute = <T extends Versioned, B extends z.core.$ZodType<object>>(
  records: EditedKind<T>,
  spec: {
    route: RouteKey;
    body: B;
    /** Why the record stays as it is (a 409), if it does: merged, closed. */
    settled?: (record: T) => string | undefined;
    /** Stores the change, unless someone changed the record since the version `seen`. */
    record: (change: Change<T>, seen: string) => Promise<void>;
  },
) =>
  apiRoute({ route: spec.route, path: idPath, body: spec.body }, async ({ path, body, caller, actOn, event }) => {
    const before = await recordOr404(records, path.id, actOn);
    const seen = versionSeen(event);
    checkVersion(before, seen, named(records.kind, path.id));
    const settled = spec.settled?.(before);
    if (settled) throw new Conflict(settled);
    const changes = changesOf(before, body);
    if (!changes.length) return versionAnswer(before);
    const at = new Date().toISOString();
    const after: T = { ...patched(before, body), updatedAt: nextVersion(versionOf(before), at) };
    await spec.record({ before, after, entries: [editEntry(changes, caller!.email, at, randomUUID())] }, seen);
    logChange(records.kind, 'edited', before.id, { fields: changes.map((c) => c.field) });
    return versionAnswer(after);
  });

/** Another SM owns the record from now on; the owner's managers or the MD decide; both SMs are told. */
export const reassignRoute = <T extends Versioned>(
  records: EditedKind<T>,
  spec: {
    route: RouteKey;
    /** What the timeline and the emails call the record: its company, its name. */
    title: (record: T) => string;
    /** Stores the change if the record is still at `version`; what it answers (an object) joins the log line. */
    record: (change: Change<T>, version: string) => Promise<unknown>;
  },
) =>
  apiRoute({ route: spec.route, path: idPath, body: reassignmentBody }, async ({ path, body, caller, actOn }) => {
    const before = await recordOr404(records, path.id, actOn);
    const owner = await salesManagerOr400(body.owner);
    const at = new Date().toISOString();
    const { entry, emails } = reassign(
      { kind: records.kind, id: before.id, name: spec.title(before), owner: ownerOf(records, before) },
      owner,
      caller!.email,
      body.reason,
      { entryId: randomUUID(), emailIds: [randomUUID(), randomUUID()] },
      at,
      links(),
    );
    const after: T = { ...before, [records.owner]: owner, updatedAt: nextVersion(versionOf(before), at) };
    const logged = await spec.record({ before, after, entries: [entry], emails }, versionOf(before));
    logChange(records.kind, 'reassigned', before.id, logged);
    return versionAnswer(after);
  });
