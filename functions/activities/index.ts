import { randomUUID } from 'node:crypto';
import { activityEntry } from '#domain/activity';
import { appendToTimeline, type SubjectKind } from '#adapters/sales-records';
import { idPath } from '#contract/fields';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';
import type { RouteKey } from '#functions/routes';
import { activityBody } from './schemas';

/** R6-R8, R11, R12, R18, R27: whoever did it logs it on the record it concerns. */
const logActivity = (subject: SubjectKind) =>
  apiRoute(
    { route: `POST /${subject}/{id}/activities` as RouteKey, path: idPath, body: activityBody },
    async ({ path, body, caller }) => {
      const entry = activityEntry(body, caller!.email, randomUUID(), new Date().toISOString());
      await appendToTimeline(subject, path.id, entry);
      return json(201, { id: entry.id, at: entry.at });
    },
  );

/** The activities Lambda. */
export const handler = dispatch({
  'POST /leads/{id}/activities': logActivity('leads'),
  'POST /opportunities/{id}/activities': logActivity('opportunities'),
});
