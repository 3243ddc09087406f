import { randomUUID } from 'node:crypto';
import { customerResponseEmail, ownerAdviceEmail } from '#domain/correspondence';
import { logResponse } from '#domain/lead';
import { ownerOfLead } from '#domain/ownership';
import { findAccountOwner, recordNewLead } from '#adapters/sales-records';
import { links, territories, webPage } from '#functions/config';
import { apiRoute, json, seeOther, wantsPage } from '#http/api';
import { idempotentByKeyHeader } from '#http/idempotency';
import { logger } from '#functions/observability';
import { leadBody, leadFromForm } from './schemas';

/** R3/R4/R5: a customer response becomes a suspect; the customer and the owning SM hear of it. */
export const createLead = apiRoute(
  { route: 'POST /leads', body: leadBody, fromForm: leadFromForm, around: [idempotentByKeyHeader('leads')] },
  async ({ body, event }) => {
    // The lead form posted without JavaScript: the browser goes on to the thank-you page.
    const answer = (id: string, status: string) =>
      wantsPage(event) ? seeOther(webPage('/thanks.html')) : json(201, { id, status }, { location: `/leads/${id}` });
    const { website, ...response } = body;
    if (website) {
      // The honeypot was filled in: a bot. It gets what a person would, and nothing is stored.
      logger.info('honeypot filled; nothing stored');
      return answer(randomUUID(), 'suspect');
    }
    const distributorOwner = response.distributorId ? await findAccountOwner(response.distributorId) : undefined;
    const owner = ownerOfLead({ distributorOwner, country: response.contact.country }, territories());
    const { lead, entry } = logResponse(
      response,
      { leadId: randomUUID(), entryId: randomUUID() },
      owner,
      new Date().toISOString(),
    );
    await recordNewLead(lead, entry, [
      customerResponseEmail(lead, randomUUID(), links()),
      ownerAdviceEmail(lead, randomUUID(), links()),
    ]);
    logger.info('lead logged', { leadId: lead.id, channel: lead.channel, source: lead.source });
    return answer(lead.id, lead.status);
  },
);
