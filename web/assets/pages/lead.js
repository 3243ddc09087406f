// @ts-check
import { $, facts, formAt, h, internalPage, loadFailed, postForm, queryParam, reloadWith, showNotice, timeline, when } from '../page.js';
import { api, hasRole } from '../session.js';

/** A lead: who, what they asked for, its timeline; the SM qualifies it (R9) and anyone logs contact. */
const who = internalPage();
showNotice();
const id = queryParam('id');
const answer = await api('GET', `/leads/${encodeURIComponent(id)}`);
if (answer.status !== 200) loadFailed(answer);
else {
  const lead = answer.body;
  document.title = `${lead.contact.company} · salesflow`;
  $('#content').replaceChildren(
    h('h1', {}, `${lead.contact.company}: ${lead.status}`),
    facts([
      ['Contact', `${lead.contact.name} <${lead.contact.email}>`],
      ['Phone', lead.contact.phone],
      ['Country', lead.contact.country],
      ['Came by', `${lead.channel}, from ${lead.source}`],
      ['Interested in', lead.interest?.products?.join(', ')],
      ['Message', lead.interest?.message],
      ['Literature', lead.literature?.join(', ')],
      ['Owner', lead.owner],
      ['Logged', when(lead.createdAt)],
    ]),
    lead.opportunityId ? h('p', {}, h('a', { href: `/app/opportunity.html?id=${lead.opportunityId}` }, 'Open the opportunity')) : '',
    h('h2', {}, 'Timeline'),
    timeline(lead.timeline),
  );
  if (lead.status === 'suspect' && hasRole(who, 'SalesManager')) $('#qualify').hidden = false;
  postForm(formAt('#qualify-form'), who, ['SalesManager'], `/leads/${id}/qualification`, ({ body }) =>
    location.assign(
      `/app/opportunity.html?id=${body.opportunityId}&done=${encodeURIComponent(`Qualified; engineering review ${body.engineeringReview}`)}`,
    ),
  );
  postForm(formAt('#activity-form'), who, [], `/leads/${id}/activities`, () => reloadWith('Activity logged'));
}
