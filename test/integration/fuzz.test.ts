import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '#domain/roles';
import { type Route, routeKey, routes } from '#functions/routes';
import { type OwnStack, startOwnStack } from './own-stack';

/**
 * Every route fuzzed (issue 13): fast-check bodies, paths, queries and callers, 10,400 requests in
 * all, against a stack of this file's own with the public throttle lifted. Never a 5xx, and a run
 * in which nothing was accepted leaves the table as it was.
 */
const perRoute = Math.ceil(10_400 / routes.length);
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack('fuzz', { SALESFLOW_LOCAL_THROTTLE: 'off' });
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

const segment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '%00', '%2F', 'x'.repeat(300), 'approve-qpa', 'packing'),
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'kind',
      'summary',
      'at',
      'email',
      'contact',
      'lines',
      'quoteId',
      'reason',
      'decision',
      'channel',
      'source',
      '__proto__',
      'constructor',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);
const request = (route: Route) =>
  fc.record({
    path: fc.array(segment, { minLength: 3, maxLength: 3 }).map(([a, b, c]) =>
      route.path
        .replace('{id}', encodeURIComponent(a!))
        .replace(/\{(task|step)\}/, encodeURIComponent(b!))
        .replace(/\{(token|email|file)\}/, encodeURIComponent(c!)),
    ),
    query: fc.option(
      fc.dictionary(fc.constantFrom('owner', 'status', 'limit', 'cursor', 'x', 'dryRun', 'mapping'), fc.string({ maxLength: 30 })),
      { nil: undefined },
    ),
    body: fc.option(body, { nil: undefined }),
    // text/csv: what POST /imports takes (any body then reads as a file, and is checked as one).
    contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'text/csv'),
    role: fc.option(fc.constantFrom(...roles), { nil: undefined }),
  });

describe('every route, fuzzed', () => {
  it(`${routes.length} routes × ${perRoute} requests: never a 5xx; refusals write nothing`, async () => {
    const tokens = Object.fromEntries(
      await Promise.all(
        roles.map(async (role) => [role, await own.client.tokenFor(`fuzz.${role.toLowerCase()}@salesflow.example`, role)] as const),
      ),
    );
    // The key that signs emailed links is made on first use: made now, it is no write of the fuzz's.
    await own.client.api('GET', '/unsubscribe/v1.AAAA.1.AA');
    const before = await own.client.settledItemCount();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let accepted = 0;
    for (const route of routes) {
      const samples = fc.sample(request(route), { numRuns: perRoute, seed: 13 });
      for (let i = 0; i < samples.length; i += 16) {
        await Promise.all(
          samples.slice(i, i + 16).map(async (sample) => {
            const search = sample.query ? `?${new URLSearchParams(sample.query)}` : '';
            const answer = await own.client.api(route.method, `${sample.path}${search}`, {
              ...(route.method === 'POST' && sample.body !== undefined ? { raw: JSON.stringify(sample.body) } : {}),
              headers: { 'content-type': sample.contentType },
              ...(sample.role ? { token: tokens[sample.role] } : {}),
            });
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500) failures.push(`${routeKey(route)} ${sample.path} ${JSON.stringify(sample.body)} → ${answer.status}`);
            if (route.method === 'POST' && answer.status < 300) accepted += 1;
          }),
        );
      }
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz: ${total} requests`, Object.fromEntries([...statuses].sort()));
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(failures.slice(0, 10)).toEqual([]);
    if (accepted === 0) expect(await own.client.settledItemCount()).toBe(before);
  }, 600_000);
});
