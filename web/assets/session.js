// @ts-check
/**
 * The signed-in person and the API. The site's config.js (written at deploy, or by the local
 * stack) says where the API is and how people sign in; the ID token lives in this tab only.
 */

/**
 * @typedef {{ kind: 'local', tokenUrl: string, people: { email: string, roles: string[] }[], roles: string[] }
 *   | { kind: 'cognito', authorizeUrl: string, tokenUrl: string, clientId: string }} SignIn
 * @typedef {{ apiUrl: string, signIn: SignIn }} SiteConfig
 * @typedef {{ token: string, email: string, roles: string[], expiresAt: number }} Session
 */

/** @type {SiteConfig} */
export const config = /** @type {any} */ (window).salesflow;

const tokenKey = 'salesflow.token';

/** @param {string} token @returns {Session | undefined} */
const sessionOf = (token) => {
  try {
    const part = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const roles = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
    if (typeof claims.email !== 'string' || typeof claims.exp !== 'number') return undefined;
    if (claims.exp * 1000 <= Date.now()) return undefined;
    return { token, email: claims.email, roles, expiresAt: claims.exp * 1000 };
  } catch {
    return undefined;
  }
};

/** @returns {Session | undefined} */
export const session = () => {
  const token = sessionStorage.getItem(tokenKey);
  return token ? sessionOf(token) : undefined;
};

/** @param {string} token */
export const keepToken = (token) => {
  if (!sessionOf(token)) throw new Error('The sign-in service gave a token salesflow cannot read');
  sessionStorage.setItem(tokenKey, token);
};

export const signOut = () => {
  sessionStorage.removeItem(tokenKey);
  location.assign('/sign-in.html');
};

const toSignIn = () => location.assign(`/sign-in.html?next=${encodeURIComponent(location.pathname + location.search)}`);

/** The session, or off to the sign-in page. @returns {Session} */
export const requireSession = () => {
  const current = session();
  if (!current) {
    toSignIn();
    throw new Error('signing in');
  }
  return current;
};

/** @param {Session | undefined} who @param {string[]} roles */
export const hasRole = (who, ...roles) => Boolean(who && roles.some((role) => who.roles.includes(role)));

/**
 * One call to the API as the signed-in person; a 401 sends them to sign in again.
 * @param {'GET' | 'POST' | 'PATCH'} method @param {string} path
 * @param {{ body?: unknown, idempotencyKey?: string, ifMatch?: string }} [options]
 * @returns {Promise<{ status: number, body: any }>}
 */
export const api = async (method, path, options = {}) => {
  const token = session()?.token;
  const response = await fetch(`${config.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      // An edit names the version it was made on (PATCH): a change by someone else meanwhile is a 409.
      ...(options.ifMatch ? { 'if-match': `"${options.ifMatch}"` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  if (response.status === 401 && token) {
    sessionStorage.removeItem(tokenKey);
    toSignIn();
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { message: text };
  }
  return { status: response.status, body };
};
