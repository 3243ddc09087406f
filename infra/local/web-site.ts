import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Person } from '#domain/people';
import { type Role, roles } from '#domain/roles';
import { contentSecurityPolicy, contentTypeOf, isTemplated, renderPage, siteConfigScript, siteFiles, webRoot } from '../web-site';
import { issueLocalToken } from './auth';

/**
 * The web forms on one machine: the same files CloudFront serves, from the API's own origin, and
 * the local Cognito stand-in's sign-in (POST /local/sign-in issues what `npm run token` would).
 */

const readJson = (request: IncomingMessage): Promise<unknown> =>
  new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4096) request.destroy();
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(body));
      } catch {
        resolve(undefined);
      }
    });
  });

export const localWebSite = (options: { keyFile: string; people: readonly Person[] }) => {
  const files = new Set(siteFiles());
  const templated = new Set([...files].filter(isTemplated));
  const config = siteConfigScript({
    apiUrl: '',
    // The people of the local directory, with the roles they act in, for the sign-in page's list.
    signIn: {
      kind: 'local',
      tokenUrl: '/local/sign-in',
      people: options.people.map(({ email, roles: personRoles }) => ({ email, roles: personRoles })),
      roles,
    },
  });
  const headers = {
    'content-security-policy': contentSecurityPolicy(''),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };

  const signIn = async (request: IncomingMessage, response: ServerResponse) => {
    const body = (await readJson(request)) as { email?: unknown; roles?: unknown } | undefined;
    const email = typeof body?.email === 'string' && /^[^@\s]+@[^@\s]+$/.test(body.email) ? body.email.toLowerCase() : undefined;
    const chosen = Array.isArray(body?.roles) ? body.roles : [];
    const errors = [
      ...(email ? [] : [{ path: 'email', message: 'must be an email address' }]),
      ...(chosen.length && chosen.every((role) => (roles as readonly unknown[]).includes(role))
        ? []
        : [{ path: 'roles', message: 'choose at least one role' }]),
    ];
    response.setHeader('content-type', 'application/json');
    if (errors.length) {
      response.writeHead(400).end(JSON.stringify({ message: 'Invalid sign-in', errors }));
      return;
    }
    const token = await issueLocalToken(options.keyFile, { email: email!, roles: chosen as Role[] });
    response.writeHead(200).end(JSON.stringify({ token }));
  };

  /** Serves the request if it is the site's; false leaves it to the API's 404. */
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    if (request.method === 'POST' && path === '/local/sign-in') {
      void signIn(request, response);
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (path === '/config.js') {
      response.writeHead(200, { ...headers, 'content-type': contentTypeOf('config.js'), 'cache-control': 'no-store' }).end(config);
      return true;
    }
    const file = path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1);
    if (!files.has(file)) return false;
    const body = templated.has(file) ? renderPage(file, '') : readFileSync(join(webRoot, file));
    response.writeHead(200, { ...headers, 'content-type': contentTypeOf(file), 'cache-control': 'no-cache' }).end(body);
    return true;
  };
};
