import * as z from 'zod';
import { accountKinds, distributorSizes, orderChannels, servedByChannels } from '#domain/account';
import { emailAddress, nameText, phone, recordId } from '#contract/fields';

export const contact = z.strictObject({ name: nameText(), email: emailAddress, phone: phone.optional() });

/** A customer or a distributor (docs/api.md, "Accounts and orders"). */
export const accountBody = z
  .strictObject({
    kind: z.enum(accountKinds),
    name: nameText(),
    ownerEmail: emailAddress,
    size: z.enum(distributorSizes).optional(),
    selected: z.boolean().default(false),
    servedBy: z.enum(servedByChannels).default('direct'),
    orderChannel: z.enum(orderChannels).default('standard'),
    distributorId: recordId.optional(),
    contacts: z.array(contact).min(1, 'an account needs at least one contact').max(20),
    /** R8: how often the AE visits this distributor, as agreed with the SM. */
    aeVisits: z.strictObject({ ae: emailAddress, everyMonths: z.number().int().min(1).max(24) }).optional(),
  })
  .superRefine((account, ctx) => {
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
  });

export const accountCreated = z.object({ id: z.uuid() });
