/** Files of this project by their path from its root, as the route, worker and workflow tables name them. */
export const projectFile = (path: string): URL => new URL(`../../${path}`, import.meta.url);

/** A Lambda entry module's `handler`, loaded in this process as the local stack runs it. */
export const loadHandler = async <H>(entry: string): Promise<H> =>
  ((await import(projectFile(entry).href)) as { handler: H }).handler;
