// @ts-check
import { $, gbp, h, internalPage, loadFailed, plain, queryParam, when } from '../page.js';
import { api } from '../session.js';

/** The pipeline: an SM's leads, prospects, quotes and orders by stage, with counts and values. */
const who = internalPage();
const owner = queryParam('owner') || who.email;
/** @type {HTMLInputElement} */ (document.getElementById('owner')).value = owner;

const pages = { lead: '/app/lead.html', opportunity: '/app/opportunity.html' };
const answer = await api('GET', `/pipeline?owner=${encodeURIComponent(owner)}`);
if (answer.status !== 200) loadFailed(answer);
else {
  /** @type {{ stage: string, label: string, count: number, valueGbp: number, items: any[] }[]} */
  const stages = answer.body.stages;
  $('#content').replaceChildren(
    h(
      'div',
      { class: 'stage-counts' },
      ...stages.map((s) => h('div', { 'data-stage': s.stage }, h('strong', {}, String(s.count)), s.label, h('br'), gbp(s.valueGbp))),
    ),
    ...stages.map((s) =>
      h(
        'section',
        { 'aria-labelledby': `stage-${s.stage}` },
        h('h2', { id: `stage-${s.stage}` }, `${s.label} (${s.count})`),
        s.items.length
          ? h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Company'),
                  h('th', {}, 'Where it stands'),
                  h('th', { class: 'number' }, 'Value'),
                  h('th', {}, 'Since'),
                ),
              ),
              h(
                'tbody',
                {},
                ...s.items.map((item) =>
                  h(
                    'tr',
                    {},
                    h(
                      'td',
                      {},
                      h('a', { href: `${pages[/** @type {'lead' | 'opportunity'} */ (item.kind)]}?id=${item.id}` }, item.company),
                    ),
                    h('td', {}, plain(item.status)),
                    h('td', { class: 'number' }, gbp(item.valueGbp)),
                    h('td', {}, when(item.since)),
                  ),
                ),
              ),
            )
          : h('p', {}, 'None.'),
      ),
    ),
  );
}
