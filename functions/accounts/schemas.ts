import * as z from 'zod/mini';
import { emailAddress, nameText, phone, recordId } from '#contract/fields';
import { accountKinds, distributorSizes, orderChannels, servedByChannels } from '#domain/account';

export const contact = z.strictObject({ name: nameText(), email: emailAddress, phone: z.optional(phone) });

/** A customer or a distributor (docs/api.md, "Accounts and orders"). */
export const accountBody = z
  .strictObject({
    kind: z.enum(accountKinds),
    name: nameText(),
    ownerEmail: emailAddress,
    size: z.optional(z.enum(distributorSizes)),
    selected: z._default(z.boolean(), false),
    servedBy: z._default(z.enum(servedByChannels), 'direct'),
    orderChannel: z._default(z.enum(orderChannels), 'standard'),
    distributorId: z.optional(recordId),
    contacts: z.array(contact).check(z.minLength(1, 'an account needs at least one contact'), z.maxLength(20)),
    /** R8: how often the AE visits this distributor, as agreed with the SM. */
    aeVisits: z.optional(z.strictObject({ ae: emailAddress, everyMonths: z.number().check(z.int(), z.gte(1), z.lte(24)) })),
  })
  .check(
    z.superRefine((account, ctx) => {
      // R6/R7: a distributor's size sets its call and visit cadence, so it must be known.
      if (account.kind === 'distributor' && !account.size) {
        ctx.addIssue({ code: 'custom', path: ['size'], message: 'a distributor is large or small' });
      }
      if (account.kind === 'customer' && account.size) {
        ctx.addIssue({ code: 'custom', path: ['size'], message: 'only distributors have a size' });
      }
      if (account.kind === 'customer' && account.aeVisits) {
        ctx.addIssue({ code: 'custom', path: ['aeVisits'], message: 'AE visits are agreed for distributors' });
      }
      if (account.kind === 'distributor' && account.distributorId) {
        ctx.addIssue({ code: 'custom', path: ['distributorId'], message: 'only customers are served by a distributor' });
      }
    }),
  );

export const accountCreated = z.object({ id: z.uuid() });
