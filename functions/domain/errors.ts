/** Outcomes of the process rules that the caller must hear about, in the business's words. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

/** The thing exists but is in the wrong state for what was asked (e.g. already qualified). */
export class Conflict extends Error {
  override readonly name = 'Conflict';
}

/** The caller may not do this: a wrong person for a decision, or a forged link. */
export class NotAllowed extends Error {
  override readonly name = 'NotAllowed';
}

/** A link that was good once: used, expired or superseded. */
export class Gone extends Error {
  override readonly name = 'Gone';
}
