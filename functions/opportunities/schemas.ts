import * as z from 'zod/mini';
import { emailAddress, multiLineText } from '#contract/fields';
import { engineeringRecommendations } from '#domain/opportunity';

/** R10: Engineering's advice to the SM, after a call or visit with the customer if need be. */
export const engineeringReviewBody = z.strictObject({
  recommendation: z.enum(engineeringRecommendations),
  advice: multiLineText(4000),
  customerContact: z._default(z.enum(['none', 'call', 'visit']), 'none'),
});

export const pipelineQuery = z.strictObject({ owner: z.optional(emailAddress) });
