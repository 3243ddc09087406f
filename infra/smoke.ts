import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { SiteConfig } from './web-site';

/**
 * `npm run smoke -- --api URL --web URL`: is a deployed stage (or `npm start`) open for business?
 * The health probe, the lead form's page, one lead taken with its email sent, the sign-in page,
 * the OpenAPI document. Whether the email went is seen in the local SES store (`--ses`, tried by
 * itself for a local API) or, on AWS, in the lead's outbox records (`--table`, the stack's
 * TableName output, read with the caller's AWS credentials). Exits 1 when any check fails.
 */
const usage = 'npm run smoke -- --api URL --web URL [--table TableName | --ses URL] [--customer ADDRESS] [--wait SECONDS]';
const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    web: { type: 'string' },
    table: { type: 'string' },
    ses: { type: 'string' },
    // SES's mailbox simulator accepts the email, even in the sandbox, and nobody receives it.
    customer: { type: 'string', default: `success+salesflow-smoke-${Date.now()}@simulator.amazonses.com` },
    wait: { type: 'string', default: '60' },
  },
});
if (!values.api || !values.web) {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
const api = values.api.replace(/\/$/, '');
const web = values.web.replace(/\/$/, '');
const customer = values.customer!;
const waitMillis = Number(values.wait) * 1000;
const isLocal = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url);
const ses = values.ses ?? (isLocal(api) && !values.table ? 'http://127.0.0.1:8005' : undefined);

class CheckFailed extends Error {}
const expectThat = (condition: unknown, problem: string) => {
  if (!condition) throw new CheckFailed(problem);
};
const get = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000), ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  const until = Date.now() + waitMillis;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new CheckFailed(`${what}: not within ${waitMillis / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};

/** Did the lead's email to the customer go out? */
const emailSent = async (leadId: string): Promise<string> => {
  if (ses) {
    type Stored = { destination: { to: string[] }; subject: string };
    const store = await get(`${ses}/store`).catch(() => undefined);
    expectThat(store?.status === 200, `the SES store at ${ses}/store is not reachable`);
    const email = await eventually('the email to the customer in the SES store', async () => {
      const { emails } = JSON.parse((await get(`${ses}/store`)).text) as { emails: Stored[] };
      return emails.find((stored) => stored.destination.to.includes(customer));
    });
    return `"${email.subject}" in the SES store`;
  }
  if (values.table) {
    process.env.SALESFLOW_TABLE_NAME = values.table;
    // The same reader the API uses: the lead's outbox records, as GET /leads/{id} shows them.
    const { leadWithHistory } = await import('#adapters/lead-records');
    const emails = await eventually('every email of the lead sent', async () => {
      const found = await leadWithHistory(leadId);
      const statuses = found?.emails.map((email) => (email as { status?: string }).status) ?? [];
      return statuses.length > 0 && statuses.every((status) => status === 'sent') ? statuses : undefined;
    });
    return `${emails.length} emails sent (table ${values.table})`;
  }
  throw new CheckFailed('cannot see whether it went: give --table <TableName output> (with AWS credentials) or --ses <local SES URL>');
};

let leadId = '';
const checks: [string, () => Promise<string>][] = [
  [
    'health',
    async () => {
      const { status, text } = await get(`${api}/health`);
      expectThat(status === 200, `GET /health answered ${status}: ${text.slice(0, 200)}`);
      return text.slice(0, 80);
    },
  ],
  [
    "the lead form's page",
    async () => {
      const { status, text } = await get(`${web}/`);
      expectThat(status === 200, `GET ${web}/ answered ${status}`);
      const action = /<form id="lead-form"[^>]*\saction="([^"]*)"/.exec(text)?.[1];
      // Locally the API shares the site's origin, and the form posts to /leads.
      expectThat(
        action === `${api}/leads` || (action === '/leads' && api === web),
        `the page has no lead form posting to this API (action ${action})`,
      );
      return `${text.length} bytes, posts to ${action}`;
    },
  ],
  [
    'one lead',
    async () => {
      const response = await fetch(`${api}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), origin: web },
        body: JSON.stringify({
          channel: 'web-form',
          source: 'marketing-campaign',
          contact: { name: 'Smoke Test', email: customer, company: 'salesflow smoke test' },
          literature: ['product-brochure'],
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string };
      expectThat(response.status === 201 && body.id, `POST /leads answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
      leadId = body.id!;
      return `lead ${leadId} for ${customer}`;
    },
  ],
  [
    'its email sent',
    async () => {
      expectThat(leadId, 'no lead was taken');
      return emailSent(leadId);
    },
  ],
  [
    'the sign-in page',
    async () => {
      const page = await get(`${web}/sign-in.html`);
      expectThat(page.status === 200, `GET /sign-in.html answered ${page.status}`);
      const script = await get(`${web}/config.js`);
      expectThat(script.status === 200, `GET /config.js answered ${script.status}`);
      const config = JSON.parse(script.text.replace(/^window\.salesflow = /, '').replace(/;\s*$/, '')) as SiteConfig;
      if (config.signIn.kind !== 'cognito') return `local sign-in (${config.signIn.tokenUrl})`;
      // Cognito's hosted page for this client, as the sign-in page would send a person there.
      const query = new URLSearchParams({
        client_id: config.signIn.clientId,
        response_type: 'code',
        scope: 'openid email',
        redirect_uri: `${web}/sign-in.html`,
      });
      const hosted = await get(`${config.signIn.authorizeUrl}?${query}`);
      expectThat(hosted.status < 400, `Cognito's sign-in answered ${hosted.status}: ${hosted.text.slice(0, 200)}`);
      return `Cognito hosted sign-in answers ${hosted.status}`;
    },
  ],
  [
    'the OpenAPI document',
    async () => {
      const { status, text } = await get(`${api}/openapi.json`);
      expectThat(status === 200, `GET /openapi.json answered ${status}`);
      const document = JSON.parse(text) as { openapi?: string; paths?: object };
      expectThat(document.openapi && document.paths, 'not an OpenAPI document');
      return `OpenAPI ${document.openapi}, ${Object.keys(document.paths!).length} paths`;
    },
  ],
];

let failed = 0;
for (const [name, check] of checks) {
  const started = Date.now();
  try {
    const detail = await check();
    console.log(`ok    ${name} (${Date.now() - started} ms): ${detail}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${name} (${Date.now() - started} ms): ${error instanceof CheckFailed ? error.message : String(error)}`);
  }
}
console.log(failed ? `smoke: ${failed} of ${checks.length} checks failed` : `smoke: all ${checks.length} checks passed`);
process.exit(failed ? 1 : 0);
