import { randomUUID } from 'node:crypto';
import { findLead, recordQualification } from '#adapters/lead-records';
import { idPath } from '#contract/fields';
import { engineeringReferralEmail } from '#domain/correspondence';
import { NotFound } from '#domain/errors';
import { qualify } from '#domain/opportunity';
import { engineeringEmail, links, quoteLimits } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { qualificationBody } from './schemas';

/** R9/R10: the SM qualifies a suspect; Engineering is pulled in for non-standard or large deals. */
export const qualifyLead = apiRoute(
  { route: 'POST /leads/{id}/qualification', path: idPath, body: qualificationBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await findLead(path.id);
    if (!lead) throw new NotFound(`No lead ${path.id}`);
    await actOn(lead.owner, `Lead ${path.id}`);
    const { expectedCloseOn, probability, ...qualification } = body;
    const asked = qualify(
      lead,
      qualification,
      caller!.email,
      { opportunityId: randomUUID(), entryIds: [randomUUID(), randomUUID(), randomUUID()] },
      new Date().toISOString(),
      quoteLimits(),
    );
    const qualified = {
      ...asked,
      opportunity: {
        ...asked.opportunity,
        ...(expectedCloseOn ? { expectedCloseOn } : {}),
        ...(probability !== undefined ? { probability } : {}),
      },
    };
    const { opportunity } = qualified;
    const referral =
      opportunity.engineeringReview.status === 'required'
        ? [engineeringReferralEmail(opportunity, randomUUID(), engineeringEmail(), links())]
        : [];
    await recordQualification(lead, qualified, referral);
    logger.info('lead qualified', {
      leadId: lead.id,
      opportunityId: opportunity.id,
      engineeringReview: opportunity.engineeringReview.status,
    });
    return json(
      201,
      { opportunityId: opportunity.id, engineeringReview: opportunity.engineeringReview.status },
      { location: `/opportunities/${opportunity.id}` },
    );
  },
);
