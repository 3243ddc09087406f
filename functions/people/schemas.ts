import * as z from 'zod/mini';
import { emailAddress, text } from '#contract/fields';

/** A person's data is asked for by their address, in the path (URL-encoded). */
export const personPath = z.object({ email: emailAddress });

/** Why a person is erased (their request, its date): kept with the erasure, never their data. */
export const erasureBody = z.strictObject({ reason: text(500) });
