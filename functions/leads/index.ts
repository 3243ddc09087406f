import { dispatch } from '#http/dispatch';
import { createLead } from './create-lead';
import { disqualifyLead, mergeLead, patchLead, reassignLead } from './edit-lead';
import { qualifyLead } from './qualify-lead';
import { getLead, listLeadsRoute } from './read-leads';

/** The leads Lambda: intake, reading and qualification. */
export const handler = dispatch({
  'POST /leads': createLead,
  'GET /leads': listLeadsRoute,
  'GET /leads/{id}': getLead,
  'POST /leads/{id}/qualification': qualifyLead,
  'PATCH /leads/{id}': patchLead,
  'POST /leads/{id}/reassignment': reassignLead,
  'POST /leads/{id}/disqualify': disqualifyLead,
  'POST /leads/{id}/merge': mergeLead,
});
