/**
 * R4: the literature Sales Admin can send in response. Codes are what forms and bingo cards
 * carry; the catalogue says what the customer receives.
 */
export const literatureCatalogue = {
  'product-brochure': { title: 'Product brochure', path: '/literature/product-brochure.pdf' },
  'technical-datasheet': { title: 'Technical datasheet', path: '/literature/technical-datasheet.pdf' },
  'application-notes': { title: 'Application notes', path: '/literature/application-notes.pdf' },
  'case-studies': { title: 'Customer case studies', path: '/literature/case-studies.pdf' },
  'price-list': { title: 'Price list', path: '/literature/price-list.pdf' },
} as const;

export type LiteratureCode = keyof typeof literatureCatalogue;
export const literatureCodes = Object.keys(literatureCatalogue) as [LiteratureCode, ...LiteratureCode[]];
