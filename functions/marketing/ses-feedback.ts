import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '#contract/messages';
import { suppress } from '#adapters/campaign-records';
import { logger } from '#functions/observability';

/**
 * R2: SES's bounce and complaint notifications (through SNS, from the configuration set): a
 * permanent bounce or a complaint takes the address off bulk mail for good. Transient bounces
 * change nothing. A notification that cannot be read fails the invocation, so SNS retries it.
 */
const recipients = z.array(z.object({ emailAddress: z.string() }));
const notification = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
  mail: z.optional(z.object({ timestamp: z.optional(z.string()) })),
});

export const handler = async (event: SNSEvent): Promise<{ suppressed: number }> => {
  let suppressed = 0;
  for (const record of event.Records) {
    const message = notification.parse(JSON.parse(record.Sns.Message));
    const type = message.eventType ?? message.notificationType;
    const at = record.Sns.Timestamp ?? new Date().toISOString();
    const addresses =
      type === 'Bounce' && message.bounce?.bounceType === 'Permanent'
        ? message.bounce.bouncedRecipients.map((r) => [r.emailAddress, 'bounced'] as const)
        : type === 'Complaint'
          ? (message.complaint?.complainedRecipients ?? []).map((r) => [r.emailAddress, 'complained'] as const)
          : [];
    for (const [address, reason] of addresses) {
      await suppress(address, reason, at);
      suppressed += 1;
    }
    logger.info('mail feedback', { type, suppressed: addresses.length });
  }
  return { suppressed };
};
