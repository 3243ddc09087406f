import { randomUUID } from 'node:crypto';
import { findAccountOwner, foldRepeatedResponse, NoRunningCampaign, RepeatedResponse, recordNewLead } from '#adapters/lead-records';
import { checkedDuplicateMarksOfLead, duplicateMarksIn, duplicateMarksOfLead } from '#adapters/record-changes';
import { keys } from '#adapters/table-design';
import { recordedRequest, timelinePut } from '#adapters/table-items';
import { customerResponseEmail, ownerAdviceEmail } from '#domain/correspondence';
import { companyOfAccount, companyOfLead, duplicateEntry, possibleDuplicates } from '#domain/duplicates';
import { Conflict } from '#domain/errors';
import type { Lead } from '#domain/lead';
import { logResponse } from '#domain/lead';
import { ownerOfLead } from '#domain/ownership';
import { responseInWords } from '#domain/response-words';
import { duplicateWindowDays, links, territories, webPage } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json, seeOther, wantsPage } from '#http/api';
import { keyedRequest, recordOnce } from '#http/idempotency';
import { leadBody, leadFromForm } from './schemas';

/** R3/R4/R5: a customer response becomes a suspect; the customer and the owning SM hear of it. */
export const createLead = apiRoute({ route: 'POST /leads', body: leadBody, fromForm: leadFromForm }, async ({ body, event }) => {
  // The lead form posted without JavaScript: the browser goes on to the thank-you page.
  const answer = (id: string, status: string) =>
    wantsPage(event) ? seeOther(webPage('/thanks.html')) : json(201, { id, status }, { location: `/leads/${id}` });
  const { website, ...response } = body;
  if (website) {
    // The honeypot was filled in: a bot. It gets what a person would, and nothing is stored.
    logger.info('honeypot filled; nothing stored');
    return answer(randomUUID(), 'suspect');
  }
  // The key names the lead: a retry after a lost answer finds it rather than making a second.
  const request = keyedRequest(event, [], response);
  const distributorOwner = response.distributorId ? await findAccountOwner(response.distributorId) : undefined;
  const owner = ownerOfLead({ distributorOwner, country: response.contact.country }, territories());
  const logged = logResponse(response, { leadId: request.id, entryId: randomUUID() }, owner, new Date().toISOString());
  const { entry } = logged;
  // The same address, or the same company (and country), in a lead or account within the window:
  // the first write checks for them, and only a lead that has some is written twice.
  const leadCompany = companyOfLead(response.contact.company, response.contact.country);
  const accountCompany = companyOfAccount(response.contact.company);
  const window = duplicateWindowDays();
  const recorded = await recordOnce(
    request,
    async () => {
      const emails = [customerResponseEmail(logged.lead, randomUUID(), links()), ownerAdviceEmail(logged.lead, randomUUID(), links())];
      const write = async (lead: Lead): Promise<Lead> => {
        try {
          await recordNewLead(
            lead,
            entry,
            emails,
            request.fingerprint,
            checkedDuplicateMarksOfLead(lead, leadCompany, accountCompany, window),
          );
          return lead;
        } catch (error) {
          const marks = duplicateMarksIn(error);
          if (!marks) throw error;
          const duplicates = possibleDuplicates(marks, window, entry.at, request.id);
          const flagged: Lead = duplicates.length ? { ...lead, possibleDuplicates: duplicates } : lead;
          await recordNewLead(flagged, entry, emails, request.fingerprint, [
            ...duplicateMarksOfLead(flagged, leadCompany, window),
            ...(duplicates.length ? [timelinePut(keys.lead(lead.id).pk, duplicateEntry(duplicates, randomUUID(), entry.at))] : []),
          ]);
          return flagged;
        }
      };
      try {
        const recorded = await write(logged.lead).catch((error: unknown) => {
          if (!(error instanceof NoRunningCampaign)) throw error;
          // R1: the lead stands; the campaign it names is made up or over, so it counts for none.
          logger.warn('campaignId ignored: no such running campaign', { leadId: logged.lead.id, campaignId: logged.lead.campaignId });
          const { campaignId: _ignored, ...uncounted } = logged.lead;
          return write(uncounted);
        });
        logger.info('lead logged', {
          leadId: recorded.id,
          channel: recorded.channel,
          source: recorded.source,
          duplicates: recorded.possibleDuplicates?.length ?? 0,
        });
        return recorded;
      } catch (error) {
        if (!(error instanceof RepeatedResponse)) throw error;
        // The address made a lead today: one lead, the SM advised once, the address emailed once.
        const folded = await foldRepeatedResponse(error, {
          ...entry,
          id: randomUUID(),
          kind: 'lead-repeated',
          summary: `Responded again by ${responseInWords(logged.lead.channel)} (${responseInWords(logged.lead.source)}) the same day: folded into this lead, nobody emailed again`,
        });
        if (!folded) throw new Conflict('This address responded today already');
        logger.info('repeated response folded', { leadId: folded.id, channel: logged.lead.channel });
        return folded;
      }
    },
    async () => {
      const first = await recordedRequest<Lead>(keys.lead(request.id));
      return first && { fingerprint: first.fingerprint, answer: first.record };
    },
  );
  return answer(recorded.id, recorded.status);
});
