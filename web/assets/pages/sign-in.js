// @ts-check
import { enhance } from '../forms.js';
import { config, keepToken } from '../session.js';
import { nextAfterSignIn } from './sign-in-next.js';

/**
 * Sign-in, as the site's config says: Cognito's hosted sign-in with PKCE on AWS, or the local
 * stack's token stand-in. Either way the page keeps the ID token and goes where it was sent from.
 */
const next = () =>
  // Only ever a page of this site (sign-in-next.js says how).
  nextAfterSignIn(new URLSearchParams(location.search).get('next') ?? sessionStorage.getItem('salesflow.next'), location.origin);

/** @param {Uint8Array} bytes */
const base64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const signIn = config.signIn;
if (signIn.kind === 'local') {
  const section = /** @type {HTMLElement} */ (document.getElementById('local'));
  section.hidden = false;
  const people = /** @type {HTMLElement} */ (document.getElementById('people'));
  for (const person of signIn.people) people.append(Object.assign(document.createElement('option'), { value: person.email }));
  const roles = /** @type {HTMLElement} */ (document.getElementById('roles'));
  for (const role of signIn.roles) {
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'roles', value: role });
    box.dataset.type = 'array';
    label.append(box, ` ${role}`);
    roles.append(label);
  }
  const form = /** @type {HTMLFormElement} */ (document.getElementById('local-form'));
  const email = /** @type {HTMLInputElement} */ (form.elements.namedItem('email'));
  // Picking a known person ticks their roles.
  email.addEventListener('input', () => {
    const person = signIn.people.find((p) => p.email === email.value);
    if (!person) return;
    for (const box of roles.querySelectorAll('input')) box.checked = person.roles.includes(box.value);
  });
  enhance(
    form,
    async (body) => {
      const response = await fetch(signIn.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roles: [], ...body }),
      });
      return { status: response.status, body: await response.json() };
    },
    ({ body }) => {
      keepToken(body.token);
      location.assign(next());
    },
  );
} else {
  const section = /** @type {HTMLElement} */ (document.getElementById('cognito'));
  section.hidden = false;
  const redirectUri = `${location.origin}/sign-in.html`;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code && params.get('state') === sessionStorage.getItem('salesflow.state')) {
    const response = await fetch(signIn.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: signIn.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: sessionStorage.getItem('salesflow.verifier') ?? '',
      }),
    });
    const tokens = await response.json();
    if (response.ok) {
      keepToken(tokens.id_token);
      location.assign(next());
    } else {
      section.append(
        Object.assign(document.createElement('p'), { className: 'error', role: 'alert', textContent: 'Sign-in failed; try again.' }),
      );
    }
  }
  document.getElementById('cognito-start')?.addEventListener('click', async () => {
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    sessionStorage.setItem('salesflow.verifier', verifier);
    sessionStorage.setItem('salesflow.state', state);
    sessionStorage.setItem('salesflow.next', next());
    const url = new URL(signIn.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: signIn.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url);
  });
}
