import { dispatch } from '#http/dispatch';
import { createLead } from './create-lead';
import { qualifyLead } from './qualify-lead';
import { getLead, listLeadsRoute } from './read-leads';
import { erasePersonRoute, getPersonalData } from './personal-data';

/** The leads Lambda: intake, reading and qualification; a person's data, exported or erased (GDPR). */
export const handler = dispatch({
  'POST /leads': createLead,
  'GET /leads': listLeadsRoute,
  'GET /leads/{id}': getLead,
  'POST /leads/{id}/qualification': qualifyLead,
  'GET /people/{email}/data': getPersonalData,
  'POST /people/{email}/erasure': erasePersonRoute,
});
