// @ts-check
/**
 * What every salesflow form does with JavaScript on: turn flat fields into the API's body, check
 * them with the same rules the server applies (the markup's required/maxlength/pattern/min/max,
 * kept equal to the server's schemas by test/web), and show each refusal next to its field.
 */

/** @typedef {{ path: string, message: string }} FieldError */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */

/** @param {Element} element @returns {element is Control} */
const isControl = (element) =>
  element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement;

/** @param {HTMLFormElement} form @returns {Control[]} */
export const controlsOf = (form) => [...form.elements].filter(isControl).filter((c) => c.name && !c.disabled);

/**
 * The value a control contributes, by its data-type: number, list (comma or newline separated),
 * array (checkboxes sharing a name), boolean (a yes/no choice), nullable (null when blank).
 * Blank optional fields contribute nothing, as a JSON client would leave them out.
 * @param {Control} control
 */
const controlValue = (control) => {
  const type = control.dataset.type;
  if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
    if (!control.checked) return undefined;
    if (type === 'boolean') return control.value === 'yes' || control.value === 'true';
    return control.value;
  }
  const raw = control.value.trim();
  if (type === 'nullable') return raw || null;
  if (!raw) return undefined;
  if (type === 'number') return Number(raw);
  if (type === 'list')
    return raw
      .split(/[\n,]/)
      .map((v) => v.trim())
      .filter(Boolean);
  if (type === 'datetime') return new Date(raw).toISOString();
  return raw;
};

/**
 * `contact.email` nests, `lines.0.sku` makes arrays; array rows left wholly blank are dropped.
 * @param {HTMLFormElement} form
 * @returns {Record<string, unknown>}
 */
export const bodyOf = (form) => {
  /** @type {Record<string, any>} */
  const body = {};
  for (const control of controlsOf(form)) {
    const value = controlValue(control);
    if (value === undefined) continue;
    const path = control.name.split('.');
    /** @type {any} */
    let node = body;
    path.forEach((key, i) => {
      const last = i === path.length - 1;
      if (last) {
        if (control.dataset.type === 'array') (node[key] ??= []).push(value);
        else node[key] = value;
        return;
      }
      node[key] ??= /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
      node = node[key];
    });
  }
  /** @param {any} value @returns {any} */
  const compact = (value) =>
    Array.isArray(value)
      ? value.filter((row) => row !== undefined && row !== null).map(compact)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]))
        : value;
  return compact(body);
};

/** @param {Control} control */
const messageFor = (control) => {
  const v = control.validity;
  if (v.valueMissing) return control.dataset.missing ?? 'is required';
  if (v.typeMismatch) return control.type === 'email' ? 'must be an email address' : 'is not valid';
  if (v.patternMismatch) return control.dataset.pattern ?? 'is not in the expected form';
  if (v.tooLong) return `must be at most ${control.getAttribute('maxlength')} characters`;
  if (v.rangeUnderflow) return `must be at least ${control.getAttribute('min')}`;
  if (v.rangeOverflow) return `must be at most ${control.getAttribute('max')}`;
  if (v.stepMismatch) return control.dataset.step ?? 'has too many decimal places';
  if (v.badInput) return 'must be a number';
  return control.validationMessage;
};

/** The readable name of a field: its label's text, without the hint. @param {Control} control */
const labelOf = (control) => {
  const label = control.labels?.[0] ?? control.closest('fieldset')?.querySelector('legend');
  const text = label?.firstChild?.textContent?.trim();
  return text || control.name;
};

/** @param {HTMLFormElement} form */
export const clearErrors = (form) => {
  for (const error of form.querySelectorAll('.error')) error.remove();
  for (const control of controlsOf(form)) {
    control.removeAttribute('aria-invalid');
    const describedBy = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => !id.endsWith('-error'));
    if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
    else control.removeAttribute('aria-describedby');
  }
  const summary = form.querySelector('.error-summary');
  if (summary) summary.replaceChildren();
};

/**
 * The control an error path names: itself, or the nearest enclosing name (`literature.1` is the
 * literature choices, `lines` the first line's first field).
 * @param {HTMLFormElement} form @param {string} path
 */
const controlFor = (form, path) => {
  const controls = controlsOf(form);
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const name = parts.slice(0, n).join('.');
    const found = controls.find((c) => c.name === name) ?? controls.find((c) => c.name.startsWith(`${name}.`));
    if (found) return found;
  }
  return undefined;
};

/**
 * Shows each error by its field, lists them all at the top, and moves focus to the first field.
 * @param {HTMLFormElement} form @param {FieldError[]} errors @param {string} [message]
 */
export const showErrors = (form, errors, message) => {
  clearErrors(form);
  const summary = form.querySelector('.error-summary');
  const items = [];
  /** @type {Control | undefined} */
  let first;
  const seen = new Set();
  for (const error of errors) {
    const control = controlFor(form, error.path);
    if (control && !seen.has(control.name)) {
      seen.add(control.name);
      const id = `${control.name.replace(/\W/g, '-')}-error`;
      const note = document.createElement('p');
      note.className = 'error';
      note.id = id;
      note.textContent = `${labelOf(control)} ${error.message}`;
      const anchor = control.closest('fieldset.choices') ?? control;
      anchor.after(note);
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
      first ??= control;
    }
    items.push(control ? `${labelOf(control)} ${error.message}` : error.message);
  }
  if (summary) {
    const heading = document.createElement('p');
    heading.textContent = message ?? 'Please correct the following:';
    const list = document.createElement('ul');
    for (const text of items) list.append(Object.assign(document.createElement('li'), { textContent: text }));
    summary.replaceChildren(heading, list);
  }
  (first ?? /** @type {HTMLElement | null} */ (summary))?.focus();
};

/**
 * The browser's own checks of the markup's constraints, reported the way the server's are.
 * @param {HTMLFormElement} form @returns {FieldError[]}
 */
export const checkFields = (form) =>
  controlsOf(form)
    .filter((control) => !control.checkValidity())
    .map((control) => ({ path: control.name, message: messageFor(control) }));

/**
 * Wires a form: our messages instead of the browser's bubbles, checks before sending, and the
 * server's refusals shown by field. `send` returns the API's answer; `done` takes a success.
 * @param {HTMLFormElement} form
 * @param {(body: Record<string, unknown>) => Promise<{ status: number, body: any }>} send
 * @param {(answer: { status: number, body: any }) => void | Promise<void>} done
 */
export const enhance = (form, send, done) => {
  form.noValidate = true;
  if (!form.querySelector('.error-summary')) {
    const summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.setAttribute('role', 'alert');
    summary.tabIndex = -1;
    form.prepend(summary);
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problems = checkFields(form);
    if (problems.length) return showErrors(form, problems);
    const button = form.querySelector('button[type=submit]');
    button?.setAttribute('disabled', '');
    try {
      const answer = await send(bodyOf(form));
      if (answer.status >= 200 && answer.status < 300) {
        clearErrors(form);
        await done(answer);
      } else {
        showErrors(form, answer.body?.errors ?? [], answer.body?.message ?? `Refused (${answer.status})`);
      }
    } catch (error) {
      showErrors(
        form,
        [],
        `Could not reach salesflow: ${error instanceof Error ? error.message : String(error)}. Nothing was sent; try again.`,
      );
    } finally {
      button?.removeAttribute('disabled');
    }
  });
};
