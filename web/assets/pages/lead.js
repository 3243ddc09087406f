// @ts-check

import { leadDecisions } from '../decisions.js';
import { $, activitySection, facts, formAt, h, linkTo, plain, postForm, recordPage, timeline, when } from '../page.js';
import { hasRole } from '../session.js';

/** A lead: who, what they asked for, its timeline; the SM qualifies it (R9) and anyone logs contact. */
const page = await recordPage('leads');
if (page) {
  const { who, id, record: lead } = page;
  document.title = `${lead.contact.company} · salesflow`;
  $('#content').replaceChildren(
    h('h1', {}, `${lead.contact.company}: ${lead.status}`),
    facts([
      ['Contact', `${lead.contact.name} <${lead.contact.email}>`],
      ['Phone', lead.contact.phone],
      ['Country', lead.contact.country],
      ['Came by', `${plain(lead.channel)}, from ${plain(lead.source)}`],
      ['Interested in', lead.interest?.products?.join(', ')],
      ['Message', lead.interest?.message],
      ['Literature', lead.literature?.map(plain).join(', ')],
      ['Owner', lead.owner],
      [
        'Disqualified',
        lead.disqualification && `${lead.disqualification.reason} (${lead.disqualification.by}, ${when(lead.disqualification.at)})`,
      ],
      ['Logged', when(lead.createdAt)],
    ]),
    lead.opportunityId ? h('p', {}, linkTo(who, 'opportunities', lead.opportunityId, 'Open the opportunity')) : '',
    h('h2', {}, 'Timeline'),
    timeline(lead.timeline),
  );
  leadDecisions(who, lead);
  if (lead.status === 'suspect' && hasRole(who, 'SalesManager')) $('#qualify').hidden = false;
  postForm(formAt('#qualify-form'), who, ['SalesManager'], `/leads/${id}/qualification`, ({ body }) =>
    location.assign(
      `/app/opportunity.html?id=${body.opportunityId}&done=${encodeURIComponent(`Qualified; engineering review ${body.engineeringReview}`)}`,
    ),
  );
  activitySection(who, 'leads', id);
}
