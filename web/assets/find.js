// @ts-check
import { api } from './session.js';

/**
 * The header's search box: a combobox whose suggestions are a listbox (the ARIA combobox
 * pattern). Typing asks GET /search after a short pause; the arrow keys move through the hits,
 * Enter opens the one chosen (or the first), Escape closes the list. A screen reader hears how
 * many were found.
 */

/** What each kind of record is called next to its hit. */
const kinds = { lead: 'Lead', opportunity: 'Opportunity', account: 'Account', quote: 'Quote', order: 'Order' };

/** @param {string} tag @param {Record<string, string>} attributes @param {(Node | string)[]} children */
const el = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
};

/** @returns {HTMLElement} */
export const findBox = () => {
  const input = /** @type {HTMLInputElement} */ (
    el('input', {
      id: 'find',
      type: 'search',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': 'find-results',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '100',
      placeholder: 'Company, person, email, PO or quote number',
    })
  );
  const list = el('ul', { id: 'find-results', role: 'listbox', 'aria-label': 'Records found', hidden: '' });
  const status = el('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const form = el(
    'form',
    { role: 'search', class: 'find', action: '#' },
    el('label', { for: 'find', class: 'visually-hidden' }, 'Find'),
    input,
    list,
    status,
  );

  /** @type {{ href: string }[]} */
  let hits = [];
  let active = -1;
  let asked = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pause;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  /** @param {number} index */
  const choose = (index) => {
    const options = list.querySelectorAll('[role="option"]');
    for (const [i, option] of options.entries()) option.setAttribute('aria-selected', String(i === index));
    active = index;
    const option = options[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  /** @param {number} index */
  const open = (index) => {
    const hit = hits[index];
    if (hit) location.assign(hit.href);
  };

  const ask = async () => {
    const q = input.value.trim();
    const mine = (asked += 1);
    if (q.length < 2) {
      hits = [];
      list.replaceChildren();
      status.textContent = '';
      close();
      return;
    }
    const answer = await api('GET', `/search?q=${encodeURIComponent(q)}`);
    // A later keystroke has asked again: this answer is stale.
    if (mine !== asked) return;
    hits = answer.status === 200 ? answer.body.hits : [];
    list.replaceChildren(
      ...hits.map((/** @type {any} */ hit, i) => {
        const option = el(
          'li',
          { id: `find-option-${i}`, role: 'option', 'aria-selected': 'false' },
          el('span', { class: 'kind' }, kinds[/** @type {keyof typeof kinds} */ (hit.kind)] ?? hit.kind),
          el('span', { class: 'title' }, hit.title),
          el('span', { class: 'subtitle' }, hit.subtitle),
        );
        // mousedown, not click: the input keeps focus until the page changes.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          open(i);
        });
        return option;
      }),
    );
    if (answer.status !== 200) status.textContent = answer.body?.message ?? 'Search is not available just now';
    else status.textContent = hits.length ? `${hits.length} found; use the arrow keys to choose` : 'Nothing found';
    if (hits.length) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      choose(-1);
    } else close();
  };

  input.addEventListener('input', () => {
    clearTimeout(pause);
    pause = setTimeout(ask, 150);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && hits.length) {
      event.preventDefault();
      if (list.hidden) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      choose((active + 1) % hits.length);
    } else if (event.key === 'ArrowUp' && hits.length) {
      event.preventDefault();
      choose(active <= 0 ? hits.length - 1 : active - 1);
    } else if (event.key === 'Escape') {
      if (!list.hidden) event.preventDefault();
      close();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    open(Math.max(active, 0));
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return form;
};
