import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { escapeHtml } from '#domain/correspondence';
import { money } from '#domain/money';

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

/** What fieldsOf reads of a zod schema's definition. */
interface FieldDefinition {
  type: string;
  innerType?: { _zod: { def: FieldDefinition } };
  entries?: Record<string, string>;
}

/**
 * A step's form, read from the schema that validates its answer, so the page cannot ask for other
 * than the route takes: a field's description is its label, an optional field is not required, an
 * enum is a choice, a literal `true` a confirmation, a boolean a yes or no, anything else text.
 */
export const fieldsOf = (body: z.ZodMiniObject): StepField[] =>
  Object.entries(body._zod.def.shape).map(([name, schema]) => {
    const optional = (schema._zod.def as FieldDefinition).type === 'optional';
    const inner = optional ? (schema._zod.def as FieldDefinition).innerType! : schema;
    const def = inner._zod.def as FieldDefinition;
    const label = z.globalRegistry.get(inner as z.core.$ZodType)?.description;
    const kind = def.type === 'enum' ? 'choice' : def.type === 'literal' ? 'confirm' : def.type === 'boolean' ? 'yes-no' : 'text';
    return {
      name,
      ...(label ? { label } : {}),
      kind,
      required: !optional,
      ...(def.entries ? { options: Object.values(def.entries) } : {}),
    };
  });

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

/**
 * The look of the web pages (web/assets/site.css), inlined: the API's pages allow no stylesheet
 * from elsewhere, and its origin is not the site's.
 */
const style =
  ':root{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}' +
  'body{margin:0}header{background:#1b1f24;color:#fff;padding:.6rem 1rem;font-weight:600}' +
  'main{max-width:44rem;margin:0 auto;padding:1rem 1rem 3rem}h1{font-size:1.6rem;margin:1rem 0 .5rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}' +
  'a{color:#0b5cad}:focus-visible{outline:3px solid #f0b400;outline-offset:2px}' +
  'table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{padding:.35rem .5rem;text-align:left;border-bottom:1px solid #c9ced6}' +
  '.number{text-align:right;font-variant-numeric:tabular-nums}' +
  'fieldset{border:1px solid #c9ced6;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}legend{font-weight:600;padding:0 .3rem}' +
  '.field{margin:.8rem 0}.field>label{display:block;font-weight:600;margin-bottom:.2rem}fieldset label{display:block;margin:.2rem 0}' +
  '.hint{color:#4a5360;font-weight:normal}.small{color:#4a5360;font-size:.9rem}' +
  'textarea,input[type=password]{box-sizing:border-box;width:100%;padding:.45rem .5rem;font:inherit;border:1px solid #6b7480;border-radius:4px}textarea{min-height:6rem}' +
  'button{font:inherit;font-weight:600;background:#0b5cad;color:#fff;border:0;border-radius:4px;padding:.55rem 1.2rem;cursor:pointer}';

/**
 * Times reach the page as UTC instants. Without a script the page shows them in UK time, saying
 * so; this script, allowed by its hash alone, rewrites each in the reader's own time zone.
 */
const localTimes =
  "for(const t of document.querySelectorAll('time[datetime]'))t.textContent=new Date(t.dateTime).toLocaleString(undefined,{day:'numeric',month:'long',year:'numeric',hour:'2-digit',minute:'2-digit',timeZoneName:'short'});";

/** The pages' Content-Security-Policy: inline styles, and the one script above, nothing else. */
export const stepPageCsp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(localTimes).digest('base64')}'; form-action 'self'`;

/** An instant in a `<time>`: UK time without a script, the reader's own with it. */
const time = (iso: string) =>
  `<time datetime="${escapeHtml(iso)}">${escapeHtml(
    new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' }),
  )} UK time</time>`;

const shell = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)} · salesflow</title><style>${style}</style>` +
  `</head><body><header>salesflow</header><main>${body}</main><script>${localTimes}</script></body></html>`;

/** A field's name as people read it, when its step gives no label: `paymentTerms` is "Payment terms". */
const labelOf = (field: StepField) =>
  field.label ?? `${field.name.charAt(0).toUpperCase()}${field.name.slice(1).replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`;

const input = (field: StepField) => {
  const id = `f-${field.name}`;
  const label = escapeHtml(labelOf(field));
  const required = field.required ? ' required' : '';
  switch (field.kind) {
    case 'choice':
      return `<fieldset><legend>${label}</legend>${field.options!.map((o) => `<label><input type="radio" name="${field.name}" value="${escapeHtml(o)}"${required}> ${escapeHtml(o.charAt(0).toUpperCase() + o.slice(1))}</label>`).join('')}</fieldset>`;
    case 'yes-no':
      return `<fieldset><legend>${label}</legend><label><input type="radio" name="${field.name}" value="yes"${required}> Yes</label><label><input type="radio" name="${field.name}" value="no"${required}> No</label></fieldset>`;
    case 'confirm':
      return `<p class="field"><label><input type="checkbox" name="${field.name}" value="yes"${required}> ${label}</label></p>`;
    case 'password':
      return `<div class="field"><label for="${id}">${label}</label><input id="${id}" type="password" name="${field.name}" autocomplete="new-password" minlength="12"${required}></div>`;
    default:
      return `<div class="field"><label for="${id}">${label}${field.required ? '' : ' <span class="hint">(optional)</span>'}</label><textarea id="${id}" name="${field.name}"${required}></textarea></div>`;
  }
};

export const stepPage = (view: StepView): string =>
  shell(
    view.ask,
    `<h1>${escapeHtml(view.ask)}</h1><h2>${escapeHtml(view.about.title)}</h2>` +
      view.about.facts.map((fact) => `<p>${escapeHtml(fact)}</p>`).join('') +
      (view.about.lines?.length
        ? `<table><tr><th>Item</th><th class="number">Qty</th>${view.about.lines.some((l) => l.unit !== undefined) ? '<th class="number">Unit price</th>' : ''}${view.about.lines.some((l) => l.discountPercent !== undefined) ? '<th class="number">Discount</th>' : ''}</tr>${view.about.lines
            .map(
              (l) =>
                `<tr><td>${escapeHtml(l.item)}</td><td class="number">${l.quantity}</td>${l.unit !== undefined ? `<td class="number">${money(l.unit)}</td>` : ''}${l.discountPercent !== undefined ? `<td class="number">${l.discountPercent}%</td>` : ''}</tr>`,
            )
            .join('')}</table>`
        : '') +
      `<form method="post">${view.fields.map(input).join('')}<p><button type="submit">Send</button></p></form>` +
      `<p class="small">For ${escapeHtml(view.assignee)}. This link works once, until ${time(view.expiresAt)}.</p>`,
  );

export const donePage = (view: StepView, outcome: string): string =>
  shell('Thank you', `<h1>Thank you</h1><p>${escapeHtml(view.ask)}: ${escapeHtml(outcome)}. It is recorded on the ${view.about.kind}.</p>`);
