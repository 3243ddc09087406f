import { dispatch } from '#http/dispatch';
import { erasePersonRoute } from './erasure';
import { exportPersonalData } from './export-data';

/**
 * The people Lambda (GDPR articles 15, 17 and 20): a person's data exported or erased. Its own
 * function, so that the PDF writer an erasure needs, and the right to delete, are nobody else's.
 */
export const handler = dispatch({
  'GET /people/{email}/data': exportPersonalData,
  'POST /people/{email}/erasure': erasePersonRoute,
});
