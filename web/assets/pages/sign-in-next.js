// @ts-check
/**
 * Where the sign-in page goes afterwards: `next`, resolved against this site as the browser itself
 * would resolve it, and kept only if it stays on this origin. Resolving first is what catches
 * "/\evil.test", "/<tab>/evil.test", "//evil.test" and "/.//evil.test": they all leave the site.
 * The answer is absolute, never a path a browser could read as protocol-relative.
 * @param {string | null | undefined} next
 * @param {string} origin
 * @returns {string}
 */
export const nextAfterSignIn = (next, origin) => {
  const fallback = new URL('/app/', origin).href;
  if (!next) return fallback;
  try {
    const target = new URL(next, origin);
    // A path that begins "//" is refused too: read back as a path, it would name another host.
    const onSite = target.origin === origin && /^https?:$/.test(target.protocol) && !target.pathname.startsWith('//');
    return onSite ? target.href : fallback;
  } catch {
    return fallback;
  }
};
