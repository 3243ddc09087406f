import { findRecords } from '#adapters/search-records';
import { searchQuery } from '#contract/lists';
import { findableKinds, pageOf, readRouteOf } from '#domain/search';
import { findRoute } from '#functions/routes';
import { apiRoute, json } from '#http/api';
import { readRule } from '#http/read-rule';

/**
 * GET /search: records by the start of what people remember of them. Each hit passes the read
 * rule of its record's GET route, and the kinds a caller can read none of are not even read.
 */
export const search = apiRoute({ route: 'GET /search', query: searchQuery }, async ({ query, caller }) => {
  const mayRead = readRule(caller!);
  const kinds = findableKinds.filter((kind) => {
    const route = findRoute(readRouteOf[kind]);
    return route && !route.access.public && caller!.roles.some((role) => route.access.public || route.access.roles.includes(role));
  });
  // Only a role that reads its own records alone needs the owners as they are now.
  const ownersMatter = kinds.some((kind) => {
    const access = findRoute(readRouteOf[kind])?.access;
    if (!access || access.public) return false;
    const { roles, ownRecords = [] } = access;
    return caller!.roles.every((role) => !roles.includes(role) || ownRecords.includes(role));
  });
  const hits = await findRecords(query.q, {
    limit: query.limit,
    kinds,
    currentOwners: ownersMatter,
    mayRead: (hit) => mayRead(readRouteOf[hit.kind], hit.owner),
  });
  return json(200, {
    hits: hits.map(({ kind, id, title, subtitle }) => ({ kind, id, title, subtitle, href: pageOf(kind, id) })),
  });
});
