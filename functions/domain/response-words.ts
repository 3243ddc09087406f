/**
 * How a customer response came in and where the interest came from, as people say it. The codes
 * (web-form, marketing-campaign) stay in the API; timelines and emails speak these words, as the
 * pages do (web/assets/page.js).
 */
const responseWords: Record<string, string> = {
  'bingo-card': 'bingo card',
  email: 'email',
  phone: 'phone',
  'business-card': 'business card',
  'web-form': 'the web form',
  'crm-import': 'an import from another CRM',
  'marketing-campaign': 'a marketing campaign',
  'distributor-contact': 'a distributor',
  'se-phone-call': "a sales engineer's call",
  'product-support': 'product support',
  'prior-contact': 'an earlier contact',
};

/** A channel or source code in words; one not listed loses its hyphens. */
export const responseInWords = (code: string): string => responseWords[code] ?? code.replace(/-/g, ' ');
