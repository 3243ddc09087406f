import { randomUUID } from 'node:crypto';
import { suppress } from '#adapters/campaign-records';
import { erasePerson, recordErasure } from '#adapters/personal-data';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { erasureBody, personPath } from './schemas';

/**
 * GDPR art. 17: the person is erased (functions/adapters/personal-data says what goes and what is
 * kept with a reference). They stay off bulk mail through a suppression that holds only a hash;
 * the erasure is recorded with its reference, never with the address.
 */
export const erasePersonRoute = apiRoute(
  { route: 'POST /people/{email}/erasure', path: personPath, body: erasureBody },
  async ({ path, body, caller }) => {
    const at = new Date().toISOString();
    const reference = randomUUID();
    const counts = await erasePerson(path.email, reference, at);
    await suppress(path.email, 'erased', at);
    await recordErasure({ id: reference, at, by: caller!.email, reason: body.reason, counts });
    logger.info('person erased', { reference, ...counts });
    return json(200, { reference, erasedAt: at, ...counts });
  },
);
