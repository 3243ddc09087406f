import { type AgendaItem, daysOverdue } from './agenda';
import { cadenceTitles, type DueContact } from './cadence';
import { escapeHtml, htmlPage, type Links, type OutgoingEmail, pageUrl } from './correspondence';

/**
 * R6-R8, R22, R26: one digest per person per schedule tick, listing what is due from them: calls
 * and visits (with a visit's agenda), and open tasks. Nobody with nothing due gets one.
 */

export type DueThing = ({ itemType: 'due-contact' } & DueContact) | ({ itemType: 'agenda-item' } & AgendaItem);

export interface DigestLine {
  section: 'contacts' | 'tasks';
  text: string;
  dueAt: string;
  overdueByDays: number;
}

const line = (thing: DueThing, now: Date): DigestLine => {
  const overdue = daysOverdue(thing.dueAt, now);
  const when = `due ${thing.dueAt.slice(0, 10)}${overdue ? `, overdue by ${overdue} day${overdue === 1 ? '' : 's'}` : ''}`;
  if (thing.itemType === 'due-contact') {
    return {
      section: 'contacts',
      text: `${cadenceTitles[thing.kind]}: ${thing.accountName} (${when})${thing.agenda ? `. Agenda: ${thing.agenda.join(', ')}` : ''}`,
      dueAt: thing.dueAt,
      overdueByDays: overdue,
    };
  }
  return { section: 'tasks', text: `${thing.summary} (${when})`, dueAt: thing.dueAt, overdueByDays: overdue };
};

/** Who gets a digest, and what is in it: most overdue first. */
export const digestsOf = (due: readonly DueThing[], now: Date): Map<string, DigestLine[]> => {
  const byPerson = new Map<string, DigestLine[]>();
  for (const thing of due) {
    const person = thing.assignee.toLowerCase();
    byPerson.set(person, [...(byPerson.get(person) ?? []), line(thing, now)]);
  }
  for (const lines of byPerson.values()) lines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return byPerson;
};

export const digestEmail = (person: string, lines: readonly DigestLine[], id: string, links: Links): OutgoingEmail => {
  const contacts = lines.filter((l) => l.section === 'contacts');
  const tasks = lines.filter((l) => l.section === 'tasks');
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const agenda = pageUrl(links, 'agenda');
  const sections: [string, DigestLine[]][] = [
    ['Calls and visits due', contacts],
    ['Tasks due', tasks],
  ];
  const shown = sections.filter(([, items]) => items.length);
  return {
    id,
    purpose: 'digest',
    to: [person],
    subject: `Due from you: ${[contacts.length ? count(contacts.length, 'call or visit').replace('call or visits', 'calls or visits') : '', tasks.length ? count(tasks.length, 'task') : ''].filter(Boolean).join(', ')}`,
    text: `${shown.map(([title, items]) => `${title}:\n${items.map((l) => `- ${l.text}`).join('\n')}`).join('\n\n')}\n\nLog each call or visit on its account when done; your agenda: ${agenda}\n`,
    html: htmlPage([
      ...shown.map(
        ([title, items]) => `<strong>${escapeHtml(title)}</strong><ul>${items.map((l) => `<li>${escapeHtml(l.text)}</li>`).join('')}</ul>`,
      ),
      `Log each call or visit on its account when done. <a href="${escapeHtml(agenda)}">Your agenda</a>`,
    ]),
  };
};
