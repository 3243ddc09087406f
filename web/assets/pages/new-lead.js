// @ts-check
import { formAt, internalPage, postForm } from '../page.js';

/** R3: Sales Admin logs a customer response that came by card, email or phone. */
const who = internalPage();
postForm(formAt('#lead-form'), who, [], '/leads', ({ body }) =>
  location.assign(`/app/lead.html?id=${body.id}&done=${encodeURIComponent('Lead logged')}`),
);
