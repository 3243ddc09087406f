import { managersOf } from '#adapters/people-records';
import { actsFor } from '#domain/people';
import type { Caller } from '#domain/roles';
import { findRoute, type RouteKey } from '#functions/routes';

/**
 * The read rule of a record's GET route (functions/routes) applied to records a list or a search
 * comes across: the route's roles, and for the roles that read only their own, the owner rule.
 * Each owner's managers are read once per request.
 */
export const readRule = (caller: Caller) => {
  const managers = new Map<string, Promise<string[]>>();
  return async (routeKey: RouteKey, owner: string): Promise<boolean> => {
    const route = findRoute(routeKey);
    if (!route || route.access.public) return Boolean(route);
    const { roles, ownRecords = [] } = route.access;
    if (!caller.roles.some((role) => roles.includes(role))) return false;
    if (caller.roles.some((role) => roles.includes(role) && !ownRecords.includes(role))) return true;
    const key = owner.toLowerCase();
    if (!managers.has(key)) managers.set(key, managersOf(key));
    return actsFor(caller, key, await managers.get(key)!);
  };
};
