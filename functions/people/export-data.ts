import { personalData } from '#adapters/personal-data';
import { apiRoute, json } from '#http/api';
import { personPath } from './schemas';

/** GDPR art. 15 and 20: everything held about a person, as JSON, for the MD or Data Protection. */
export const exportPersonalData = apiRoute({ route: 'GET /people/{email}/data', path: personPath }, async ({ path }) => {
  const held = await personalData(path.email);
  return json(200, { email: path.email, exportedAt: new Date().toISOString(), ...held });
});
