/**
 * Every amount the process prints (emails, PDFs, pages the API serves, timeline summaries), to the
 * penny: £18,050.30, never £18,050.3 in one place and £18,050 in another. The web pages' gbp() in
 * web/assets/page.js prints the same way.
 */
const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

export const money = (gbp: number) => pounds.format(gbp);
