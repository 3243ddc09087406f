import * as z from 'zod/mini';

/** Any JSON object; the step decides the shape once it is known. */
export const stepBody = z.record(z.string(), z.unknown());

/** Yes/no questions, answered by a checkbox or a radio button on a link's page. */
const yesNoFields = new Set(['confirm', 'ok', 'allReceived']);

/** An HTML form's fields: empty ones are absent; yes/no fields become true or false. */
export const stepBodyFromForm = (fields: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(fields)
      .map(([name, value]) => [name, Array.isArray(value) ? value[0] : value] as const)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([name, value]) => [name, yesNoFields.has(name) ? ['yes', 'on', 'true'].includes(value!) : value]),
  );
