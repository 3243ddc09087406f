import { escapeHtml } from '#domain/correspondence';

/**
 * What an emailed link shows: the step, the record it is about, and the form that answers it.
 * Opening it changes nothing (mail scanners open links); only the form's POST does.
 */

export interface StepField {
  name: string;
  label?: string;
  kind: 'text' | 'choice' | 'confirm' | 'yes-no' | 'password';
  required: boolean;
  options?: string[];
}

export interface StepView {
  ask: string;
  about: {
    kind: 'quote' | 'order';
    id: string;
    title: string;
    /** Plain sentences, escaped when shown. */
    facts: string[];
    lines?: { quantity: number; item: string; unit?: number; discountPercent?: number }[];
  };
  assignee: string;
  expiresAt: string;
  /** The fields the POST takes. */
  fields: StepField[];
}

/** What a link's subject offers: its view, and how the answer is recorded. */
export interface LinkStep {
  view: StepView;
  complete(body: unknown, by: string): Promise<{ outcome: string; result: Record<string, unknown> }>;
}

const gbp = (n: number) => `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const shell = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
  `<style>body{font:16px system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left}textarea{width:100%;min-height:6rem}label{display:block;margin:.8rem 0 .2rem}</style>` +
  `</head><body>${body}</body></html>`;

const input = (field: StepField) => {
  const id = `f-${field.name}`;
  const label = escapeHtml(field.label ?? field.name);
  const required = field.required ? ' required' : '';
  switch (field.kind) {
    case 'choice':
      return `<fieldset><legend>${label}</legend>${field.options!.map((o) => `<label><input type="radio" name="${field.name}" value="${o}"${required}> ${o}</label>`).join('')}</fieldset>`;
    case 'yes-no':
      return `<fieldset><legend>${label}</legend><label><input type="radio" name="${field.name}" value="yes"${required}> Yes</label><label><input type="radio" name="${field.name}" value="no"${required}> No</label></fieldset>`;
    case 'confirm':
      return `<label><input type="checkbox" name="${field.name}" value="yes"${required}> ${label}</label>`;
    case 'password':
      return `<label for="${id}">${label}</label><input id="${id}" type="password" name="${field.name}" autocomplete="new-password" minlength="12"${required}>`;
    default:
      return `<label for="${id}">${label}${field.required ? '' : ' (optional)'}</label><textarea id="${id}" name="${field.name}"${required}></textarea>`;
  }
};

export const stepPage = (view: StepView): string =>
  shell(
    view.ask,
    `<h1>${escapeHtml(view.ask)}</h1><h2>${escapeHtml(view.about.title)}</h2>` +
      view.about.facts.map((fact) => `<p>${escapeHtml(fact)}</p>`).join('') +
      (view.about.lines?.length
        ? `<table><tr><th>Qty</th><th>Item</th>${view.about.lines.some((l) => l.unit !== undefined) ? '<th>Unit</th>' : ''}${view.about.lines.some((l) => l.discountPercent !== undefined) ? '<th>Discount</th>' : ''}</tr>${view.about.lines
            .map(
              (l) =>
                `<tr><td>${l.quantity}</td><td>${escapeHtml(l.item)}</td>${l.unit !== undefined ? `<td>${gbp(l.unit)}</td>` : ''}${l.discountPercent !== undefined ? `<td>${l.discountPercent}%</td>` : ''}</tr>`,
            )
            .join('')}</table>`
        : '') +
      `<form method="post">${view.fields.map(input).join('')}<p><button type="submit">Send</button></p></form>` +
      `<p><small>For ${escapeHtml(view.assignee)}; this link works once, until ${escapeHtml(view.expiresAt.slice(0, 16).replace('T', ' '))} UTC.</small></p>`,
  );

export const donePage = (view: StepView, outcome: string): string =>
  shell('Thank you', `<h1>Thank you</h1><p>${escapeHtml(view.ask)}: ${escapeHtml(outcome)}. It is recorded on the ${view.about.kind}.</p>`);
