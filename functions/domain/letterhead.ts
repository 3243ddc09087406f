/**
 * Who the quote is from, as printed at the top of it: configuration (SALESFLOW_LETTERHEAD), with
 * these defaults for a stage that sets none.
 */
export interface Letterhead {
  companyName: string;
  addressLines: string[];
  phone: string;
  website: string;
  vatNumber: string;
}

export const defaultLetterhead: Letterhead = {
  companyName: 'Salesflow Test Equipment Ltd',
  addressLines: ['Unit 4, Riverside Park', 'Reading RG1 8AA', 'United Kingdom'],
  phone: '+44 118 496 0000',
  website: 'www.salesflow.example',
  vatNumber: 'GB 123 4567 89',
};
