/** Files of this project by their path from its root, as the route, worker and workflow tables name them. */
export const projectFile = (path: string): URL => new URL(`../../${path}`, import.meta.url);

/** Each local invocation of a Lambda entry, with how long it ran: what the benchmark counts. */
export interface Invocation {
  entry: string;
  millis: number;
}

const listeners = new Set<(invocation: Invocation) => void>();

/** Hear of every invocation the local stack makes from now on (the benchmark's Lambda meter). */
export const onInvocation = (listener: (invocation: Invocation) => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/**
 * A Lambda entry module's `handler`, loaded in this process as the local stack runs it, and timed
 * as Lambda bills it: from the call to the settled result.
 */
export const loadHandler = async <H>(entry: string): Promise<H> => {
  const { handler } = (await import(projectFile(entry).href)) as { handler: (...args: unknown[]) => Promise<unknown> };
  return (async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await handler(...args);
    } finally {
      const millis = performance.now() - started;
      for (const listener of listeners) listener({ entry, millis });
    }
  }) as H;
};
