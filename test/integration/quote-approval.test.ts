import { createHash } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { signActionLink } from '#domain/action-link';
import { eventually, stack, stackClient } from './local-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * R13-R19 end to end on the local stack: HTTP into the handlers, DynamoDB Local, the
 * quote-approval ASL run by the local Step Functions endpoint, emails out through SES.
 */
const client = stackClient(stack);
const { api, tokenFor, settledItemCount, itemCount, stepFunctions, dynamodb } = client;
const { opportunity, emailTo, emailsTo, linkIn, quote, quoteStatus } = quoteJourney(client);

const proposal = 'Two inline testers replace the bench; cycle time halves.';
const quoteBody = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ lines, proposalSummary: proposal, ...extra });

let token: Record<'sm' | 'otherSm' | 'admin' | 'ae' | 'finance' | 'md' | 'stranger', string>;

beforeAll(async () => {
  token = {
    sm: await tokenFor(people.sm, 'SalesManager'),
    otherSm: await tokenFor('sm.dach@salesflow.example', 'SalesManager'),
    admin: await tokenFor(people.salesAdmin, 'SalesAdmin'),
    ae: await tokenFor(people.applicationEngineer, 'ApplicationEngineer'),
    finance: await tokenFor(people.finance, 'SalesManager'),
    md: await tokenFor(people.md, 'ManagingDirector'),
    stranger: await tokenFor('someone.else@salesflow.example', 'SalesManager'),
  };
});

/** Prepares quote and proposal (R16) and signs (R17), through links and the internal route. */
const prepareAndSign = async (company: string, quoteId: string) => {
  const toPrepare = await emailTo(people.salesAdmin, company, /^Prepare the quote/);
  const toPropose = await emailTo(people.applicationEngineer, company, /^Prepare the technical proposal/);
  // Both asks are out before either is answered: the two preparations run in parallel.
  expect((await quote(quoteId)).tasks.map((t: { task: string }) => t.task).sort()).toEqual(['prepare-proposal', 'prepare-quote']);
  expect(toPropose.body.text).toContain('/actions/');

  const prepared = await api('POST', linkIn(toPrepare), {
    body: { paymentTerms: '30 days net', deliveryTerms: 'Ex works, 6 weeks' },
  });
  expect(prepared.status).toBe(200);
  const proposed = await api('POST', `/quotes/${quoteId}/tasks/prepare-proposal`, {
    body: { text: 'Technical proposal: fixture, software, training.' },
    token: token.ae,
  });
  expect(proposed.status).toBe(200);

  const toSign = await emailTo(people.sm, company, /^Review and sign/);
  const signed = await api('POST', linkIn(toSign), { body: { confirm: true } });
  expect(signed.status).toBe(200);
  return { toSign };
};

describe('R13-R17: a quote within the standard limits', () => {
  it('needs no QPA: both documents in parallel, signed, and the customer gets the PDF', async () => {
    const { opportunityId, company, customer } = await opportunity();
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: quoteBody([line(9_500, 5, 2)]),
      token: token.sm,
    });
    expect(started.status).toBe(202);
    const { quoteId, executionArn } = started.body;
    expect(executionArn).toContain(quoteId);

    const { toSign } = await prepareAndSign(company, quoteId);
    const toCustomer = await emailTo(customer, company, /^Your quotation/);
    const [pdf] = toCustomer.attachments!;
    expect(pdf!.contentType).toBe('application/pdf');
    const bytes = Buffer.from(pdf!.content, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const sent = await quoteStatus(quoteId, 'sent');
    expect(sent.qpa.applies).toBe(false);
    expect(sent.totals).toMatchObject({ listGbp: 19_000, netGbp: 18_050 });
    // R17: the signature names the signer, the time, and the SHA-256 of exactly what the customer got.
    expect(sent.signature).toMatchObject({ signer: people.sm, algorithm: 'SHA-256', holds: true });
    expect(sent.signature.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(sent.tasks).toEqual([]);
    // Nobody's agenda holds a step of a quote that went out.
    for (const [person, role] of [
      [people.salesAdmin, 'SalesAdmin'],
      [people.applicationEngineer, 'ApplicationEngineer'],
      [people.sm, 'SalesManager'],
    ] as const) {
      const agenda = await api('GET', '/agenda', { token: await tokenFor(person, role) });
      expect(agenda.body.items.filter((item: { subject: { id: string } }) => item.subject.id === quoteId)).toEqual([]);
    }

    // A used link is spent.
    expect((await api('POST', linkIn(toSign), { body: { confirm: true } })).status).toBe(410);
    expect((await api('GET', linkIn(toSign))).status).toBe(410);

    // The run is visible to the Step Functions API, waiting for the R18 follow-up.
    const { stateMachineArn } = await stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
    const listed = await stepFunctions.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.find((e) => e.executionArn === executionArn)?.status).toBe('RUNNING');

    // Every step is on the opportunity's timeline (R27).
    const opp = await api('GET', `/opportunities/${opportunityId}`, { token: token.sm });
    const kinds = opp.body.timeline.map((e: { kind: string }) => e.kind);
    for (const kind of ['quote-requested', 'quote-step-assigned', 'quote-step', 'quote-documents-composed', 'quote-sent']) {
      expect(kinds).toContain(kind);
    }
    expect(opp.body.quotes).toEqual([expect.objectContaining({ id: quoteId, status: 'sent' })]);
  });

  it('opening a link shows what it will do and changes nothing', async () => {
    const { opportunityId, company } = await opportunity();
    const { quoteId } = (await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(1_000)]), token: token.sm }))
      .body;
    const link = linkIn(await emailTo(people.salesAdmin, company, /^Prepare the quote/));
    const before = await quote(quoteId);
    const shown = await api('GET', link);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ ask: 'Prepare the quote', assignee: people.salesAdmin, about: { kind: 'quote', id: quoteId } });
    const page = await api('GET', link, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<form method="post">');
    expect(await quote(quoteId)).toEqual(before);
    // The link still works after being looked at, and an HTML form post answers with a page.
    const posted = await api('POST', link, {
      raw: 'paymentTerms=30+days&deliveryTerms=Ex+works',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(posted.status).toBe(200);
    expect(posted.body).toContain('Thank you');
  });
});

describe('R14/R15: the QPA and its approval matrix', () => {
  it('a deep discount over £250k goes to the sales director, finance and the MD, in that order', async () => {
    const { opportunityId, company } = await opportunity({ value: 400_000, reviewed: true });
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: quoteBody([line(200_000, 30, 2)]),
      token: token.sm,
    });
    expect(started.status).toBe(202);
    const { quoteId } = started.body;
    const defined = await quote(quoteId);
    expect(defined.qpa.approvers.map((a: { position: string }) => a.position)).toEqual(['salesDirector', 'finance', 'managingDirector']);

    const qpa = await emailTo(people.salesAdmin, company, /^Prepare the QPA/);
    expect((await api('POST', linkIn(qpa), { body: { text: 'QPA: strategic account, volume deal.' } })).status).toBe(200);

    const toDirector = await emailTo(people.salesDirector, company, /^Approve or reject the QPA/);
    // Only the sales director's step is open: finance cannot jump the queue, a stranger never can.
    expect((await emailsTo(people.finance, company, /QPA/)).length).toBe(0);
    const early = await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, { body: { decision: 'approve' }, token: token.finance });
    expect(early.status).toBe(403);
    const stranger = await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, { body: { decision: 'approve' }, token: token.stranger });
    expect(stranger.status).toBe(403);

    expect((await api('POST', linkIn(toDirector), { body: { decision: 'approve' } })).status).toBe(200);
    await emailTo(people.finance, company, /^Approve or reject the QPA/);
    // The sales director already decided: a second decision is a conflict, not a new approval.
    const director = await tokenFor(people.salesDirector, 'SalesManager');
    const again = await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, { body: { decision: 'approve' }, token: director });
    expect(again.status).toBe(409);

    expect(
      (await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, { body: { decision: 'approve' }, token: token.finance })).status,
    ).toBe(200);
    const toMd = await emailTo(people.md, company, /^Approve or reject the QPA/);
    expect((await api('POST', linkIn(toMd), { body: { decision: 'approve', reason: 'Strategic' } })).status).toBe(200);

    await emailTo(people.salesAdmin, company, /^Prepare the quote/);
    const approved = await quote(quoteId);
    expect(approved.status).toBe('in-preparation');
    expect(
      approved.decisions.map((d: { approver: string; by: string; via: string; decision: string }) => [d.approver, d.by, d.via, d.decision]),
    ).toEqual([
      ['salesDirector', people.salesDirector, 'link', 'approved'],
      ['finance', people.finance, 'internal', 'approved'],
      ['managingDirector', people.md, 'link', 'approved'],
    ]);
    expect(approved.prepared.qpa.by).toBe(people.salesAdmin);
  });

  it('a single rejection sends the quote back to the SM with the reason', async () => {
    const { opportunityId, company } = await opportunity();
    const { quoteId, executionArn } = (
      await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(10_000, 15)]), token: token.sm })
    ).body;
    await api('POST', linkIn(await emailTo(people.salesAdmin, company, /^Prepare the QPA/)), { body: { text: 'QPA' } });
    const toDirector = linkIn(await emailTo(people.salesDirector, company, /^Approve or reject the QPA/));

    const noReason = await api('POST', toDirector, { body: { decision: 'reject' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);

    expect((await api('POST', toDirector, { body: { decision: 'reject', reason: 'Margin too thin' } })).status).toBe(200);
    const back = await emailTo(people.sm, company, /^QPA rejected/);
    expect(back.body.text).toContain('Margin too thin');
    const returned = await quoteStatus(quoteId, 'returned');
    expect(returned.decisions).toEqual([
      expect.objectContaining({ decision: 'rejected', reason: 'Margin too thin', by: people.salesDirector }),
    ]);
    await eventually(async () => {
      const run = await stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
      return run.status === 'SUCCEEDED';
    });
    // Deciding again after the decision changes nothing.
    expect((await api('POST', toDirector, { body: { decision: 'approve' } })).status).toBe(410);
  });
});

describe('R19: a formal contract with the MD', () => {
  it('the MD negotiates and approves through the same kind of link; the SM hears of it', async () => {
    const { opportunityId, company } = await opportunity();
    const { quoteId } = (await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(5_000)]), token: token.sm }))
      .body;
    const early = await api('POST', `/opportunities/${opportunityId}/contract`, {
      body: { quoteId, requirements: 'Liability cap' },
      token: token.sm,
    });
    expect(early.status).toBe(409); // not sent yet

    await prepareAndSign(company, quoteId);
    await quoteStatus(quoteId, 'sent');
    const requested = await api('POST', `/opportunities/${opportunityId}/contract`, {
      body: { quoteId, requirements: 'Liability cap and acceptance tests' },
      token: token.sm,
    });
    expect(requested.status).toBe(202);
    const twice = await api('POST', `/opportunities/${opportunityId}/contract`, {
      body: { quoteId, requirements: 'Again' },
      token: token.sm,
    });
    expect(twice.status).toBe(409);

    const toMd = await emailTo(people.md, company, /^Negotiate and approve the formal contract/);
    expect((await api('POST', linkIn(toMd), { body: { decision: 'approve', terms: 'Cap at contract value' } })).status).toBe(200);
    const told = await emailTo(people.sm, company, /^Contract approved/);
    expect(told.body.text).toContain('Cap at contract value');
    const decided = await quoteStatus(quoteId, 'contract-approved');
    expect(decided.contract.decision).toMatchObject({ by: people.md, decision: 'approved' });
  });
});

describe('bad input changes nothing', () => {
  it('a quote with no lines, a negative quantity or a discount over 100% is a 400 naming the field', async () => {
    const { opportunityId } = await opportunity();
    const before = await settledItemCount();
    const cases: [unknown, string][] = [
      [quoteBody([]), 'lines'],
      [quoteBody([{ ...line(100), quantity: -1 }]), 'lines.0.quantity'],
      [quoteBody([line(100, 101)]), 'lines.0.discountPercent'],
      [quoteBody([{ ...line(100), unitPriceGbp: -5 }]), 'lines.0.unitPriceGbp'],
    ];
    for (const [body, path] of cases) {
      const answer = await api('POST', `/opportunities/${opportunityId}/quotes`, { body, token: token.sm });
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await itemCount()).toBe(before);
  });

  it('only the owning SM quotes an opportunity', async () => {
    const { opportunityId } = await opportunity();
    const before = await settledItemCount();
    expect((await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(100)]), token: token.admin })).status).toBe(
      403,
    );
    expect(
      (await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(100)]), token: token.otherSm })).status,
    ).toBe(403);
    expect(
      (await api('POST', `/opportunities/${crypto.randomUUID()}/quotes`, { body: quoteBody([line(100)]), token: token.sm })).status,
    ).toBe(404);
    expect(await itemCount()).toBe(before);
  });

  it('a forged, altered or expired link is refused, and the step stays open', async () => {
    const { opportunityId, company } = await opportunity();
    const { quoteId } = (await api('POST', `/opportunities/${opportunityId}/quotes`, { body: quoteBody([line(1_000)]), token: token.sm }))
      .body;
    const link = linkIn(await emailTo(people.salesAdmin, company, /^Prepare the quote/));
    const [base, tokenText] = link.split('/actions/') as [string, string];
    const [version, actionId, expires, signature] = tokenText.split('.');
    const terms = { body: { paymentTerms: '30 days', deliveryTerms: 'Ex works' } };

    const forged = `${base}/actions/${version}.${actionId}.${expires}.${signature!.slice(0, -2)}AA`;
    expect((await api('POST', forged, terms)).status).toBe(403);
    const extended = `${base}/actions/${version}.${actionId}.${Number(expires) + 86_400}.${signature}`;
    expect((await api('POST', extended, terms)).status).toBe(403);
    expect((await api('GET', `${base}/actions/not-a-token`)).status).toBe(403);

    // A genuine signature whose time is up: signed with the stack's own key, for the same action.
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: stack.tableName, Key: { pk: { S: 'CONFIG' }, sk: { S: 'LINK_KEY' } } }),
    );
    const expired = signActionLink(Buffer.from(Item!.secret!.B!), actionId!, new Date(Date.now() - 1000));
    expect((await api('POST', `${base}/actions/${expired}`, terms)).status).toBe(410);

    expect((await quote(quoteId)).tasks.map((t: { task: string }) => t.task)).toContain('prepare-quote');
    expect((await api('POST', link, terms)).status).toBe(200);
  });
});
