import { dispatch } from '#http/dispatch';
import { createLead } from './create-lead';
import { qualifyLead } from './qualify-lead';
import { getLead, listLeadsRoute } from './read-leads';

/** The leads Lambda: intake, reading and qualification. */
export const handler = dispatch({
  'POST /leads': createLead,
  'GET /leads': listLeadsRoute,
  'GET /leads/{id}': getLead,
  'POST /leads/{id}/qualification': qualifyLead,
});
