import * as z from 'zod/mini';
import { emailAddress, nameText, phone, text } from '#contract/fields';
import type { Account } from './account';
import { importedChannel, type Lead } from './lead';
import { ownerOfLead, type Territories } from './ownership';
import { stableId } from './stable-id';
import type { TimelineEntry } from './timeline';

/**
 * Contacts and companies brought in from another CRM's export (GoldMine and the like): which column
 * holds what, what each row becomes, and what is a duplicate. Pure: the file is parsed and the
 * table read elsewhere.
 */

export const importFields = [
  'company',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'country',
  'city',
  'address',
  'postcode',
] as const;
export type ImportField = (typeof importFields)[number];
export type ColumnMapping = Partial<Record<ImportField, string>>;

/** A header as compared: no case, accents, spaces or punctuation ("E-Mail" is "email"). */
const plain = (value: string) =>
  value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');

/** What other CRMs call each field, in English, German, French and Spanish; first match wins. */
const synonyms: Record<ImportField, string[]> = {
  company: [
    'company',
    'companyname',
    'firma',
    'firmenname',
    'organisation',
    'organization',
    'org',
    'accountname',
    'account',
    'customer',
    'unternehmen',
    'societe',
    'entreprise',
    'empresa',
  ],
  name: ['contact', 'contactname', 'name', 'fullname', 'contactperson', 'person', 'ansprechpartner', 'kontakt', 'nomcomplet'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'vorname', 'prenom', 'nombre'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nachname', 'apellido', 'nomdefamille'],
  email: ['email', 'emailaddress', 'mail', 'emailadresse', 'email1', 'courriel', 'correo'],
  phone: [
    'phone',
    'tel',
    'telephone',
    'phone1',
    'phonenumber',
    'telefon',
    'telefonnummer',
    'businessphone',
    'workphone',
    'telefono',
    'mobile',
  ],
  country: ['country', 'land', 'countrycode', 'pays', 'pais', 'nation', 'staat'],
  city: ['city', 'town', 'ort', 'stadt', 'ville', 'ciudad'],
  address: ['address', 'address1', 'street', 'streetaddress', 'strasse', 'adresse', 'anschrift', 'direccion'],
  postcode: ['postcode', 'zip', 'zipcode', 'postalcode', 'plz', 'postleitzahl', 'codepostal', 'cp'],
};

/** The column chosen for each field, from the headers; `override` (field to header) wins. */
export const chooseMapping = (headers: readonly string[], override: ColumnMapping = {}): ColumnMapping => {
  const byPlain = new Map<string, string>();
  for (const header of headers) if (!byPlain.has(plain(header))) byPlain.set(plain(header), header);
  const mapping: ColumnMapping = {};
  const taken = new Set(Object.values(override));
  for (const field of importFields) {
    if (override[field] !== undefined) {
      if (override[field]) mapping[field] = override[field];
      continue;
    }
    const header = synonyms[field].map((name) => byPlain.get(name)).find((found) => found !== undefined && !taken.has(found));
    if (header !== undefined) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  return mapping;
};

/** Headers an override names that the file does not have. */
export const unknownColumns = (headers: readonly string[], override: ColumnMapping): string[] =>
  Object.values(override).filter((header): header is string => Boolean(header) && !headers.includes(header!));

// ---- countries -----------------------------------------------------------------------------------

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
let countryNames: Map<string, string> | undefined;
/** Country names in the languages exports come in, and the usual short forms, to ISO 3166-1 alpha-2. */
const countries = (): Map<string, string> => {
  if (countryNames) return countryNames;
  const names = new Map<string, string>();
  const displays = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'pl'].map(
    (locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }),
  );
  // Codes in use today: not the withdrawn ones (DD was East Germany, whose German name is close to Germany's).
  const withdrawn = /^(AN|BU|CS|DD|FX|NT|QO|QU|SU|TP|YU|ZR|EU|EZ|UN|XA|XB|XK|ZZ)$/;
  const codes = [...letters]
    .flatMap((a) => [...letters].map((b) => `${a}${b}`))
    .filter((code) => {
      const english = displays[0]!.of(code);
      return english && english !== code && !withdrawn.test(code);
    });
  for (const code of codes) names.set(code.toLowerCase(), code);
  // English first, then each language in turn: a name two languages give to different countries reads as English does.
  for (const display of displays) {
    for (const code of codes) {
      const name = display.of(code);
      if (name && !names.has(plain(name))) names.set(plain(name), code);
    }
  }
  const aliases: Record<string, string> = {
    uk: 'GB',
    greatbritain: 'GB',
    england: 'GB',
    scotland: 'GB',
    wales: 'GB',
    northernireland: 'GB',
    britain: 'GB',
    grossbritannien: 'GB',
    gbr: 'GB',
    usa: 'US',
    us: 'US',
    unitedstatesofamerica: 'US',
    america: 'US',
    holland: 'NL',
    deu: 'DE',
    fra: 'FR',
    nld: 'NL',
    esp: 'ES',
    ita: 'IT',
    czechrepublic: 'CZ',
    turkey: 'TR',
    tuerkei: 'TR',
    russland: 'RU',
    aut: 'AT',
    che: 'CH',
    bel: 'BE',
    irl: 'IE',
    swe: 'SE',
    dnk: 'DK',
    nor: 'NO',
    pol: 'PL',
    prt: 'PT',
  };
  for (const [alias, code] of Object.entries(aliases)) names.set(alias, code);
  return (countryNames = names);
};

/** "Deutschland", "germany", "DE", "DEU" are DE; undefined for what is no country we know. */
export const countryOf = (value: string): string | undefined => countries().get(plain(value));

// ---- rows ----------------------------------------------------------------------------------------

/**
 * The key a company is known by across spellings: no case, accents, punctuation or legal form
 * ("ACME Ltd.", "Acme Limited" and "acme" are one company).
 */
const legalForms = new Set([
  'ltd',
  'limited',
  'plc',
  'llp',
  'llc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'mbh',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'as',
  'oy',
  'aps',
  'the',
  'und',
  'and',
  'et',
  'y',
]);
export const companyKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !legalForms.has(word))
    .join(' ');

/** The records an import makes are named by what they hold: the same file twice names the same records. */
export const importedLeadId = (email: string) => stableId('imported-lead', email.trim().toLowerCase());
export const importedAccountId = (company: string, country: string | undefined) => accountIdOf(companyKey(company), country);
const accountIdOf = (key: string, country: string | undefined) => stableId('imported-account', key, country ?? '');

export interface ImportRow {
  /** The file's line the row starts on (1 is the header). */
  line: number;
  company: string;
  companyKey: string;
  country?: string;
  city?: string;
  address?: string;
  postcode?: string;
  contact?: { name: string; email: string; phone?: string };
}

export interface BadRow {
  line: number;
  reason: string;
}

const firstProblem = (schema: z.ZodMiniType, value: string, label: string): string | undefined => {
  const result = z.safeParse(schema, value);
  return result.success ? undefined : `${label} ${result.error.issues[0]?.message ?? 'is not valid'}`;
};

const tidy = (value: string | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

/** Built once: a file of 50,000 rows checks each field against the same schema. */
const nameField = nameText();
const lineField = text(200);

/** One row of the file, read through the mapping: what it holds, or why it cannot be imported. */
export const readRow = (cells: Record<string, string>, mapping: ColumnMapping, line: number): ImportRow | BadRow => {
  const cell = (field: ImportField) => (mapping[field] ? tidy(cells[mapping[field]!]) : '');
  const company = cell('company');
  if (!company) return { line, reason: `no company${mapping.company ? ` (column "${mapping.company}" is empty)` : ' column: map one'}` };
  const name = cell('name') || [cell('firstName'), cell('lastName')].filter(Boolean).join(' ');
  const email = cell('email').toLowerCase();
  // Extensions ("x12", "ext. 12") are for the person dialling; the number is what is kept.
  const phoneNumber = cell('phone').replace(/\s*(x|ext\.?|extension|durchwahl|dw\.?)\s*\d+$/i, '');
  const countryText = cell('country');
  const country = countryText ? countryOf(countryText) : undefined;
  const problem =
    firstProblem(nameField, company, 'Company') ??
    (countryText && !country ? `Country "${countryText}" is no country we know: write its name or its ISO code (DE, GB)` : undefined) ??
    (email ? firstProblem(emailAddress, email, `E-mail "${email}"`) : undefined) ??
    (email && !name ? 'a contact with an e-mail address needs a name' : undefined) ??
    (name && email ? firstProblem(nameField, name, 'Name') : undefined) ??
    (phoneNumber && email ? firstProblem(phone, phoneNumber, `Phone "${phoneNumber}"`) : undefined) ??
    (['city', 'address', 'postcode'] as const)
      .map((field) => (cell(field) ? firstProblem(lineField, cell(field), field.charAt(0).toUpperCase() + field.slice(1)) : undefined))
      .find(Boolean);
  if (problem) return { line, reason: problem };
  return {
    line,
    company: company.normalize('NFC'),
    companyKey: companyKey(company),
    ...(country ? { country } : {}),
    ...(cell('city') ? { city: cell('city').normalize('NFC') } : {}),
    ...(cell('address') ? { address: cell('address').normalize('NFC') } : {}),
    ...(cell('postcode') ? { postcode: cell('postcode') } : {}),
    ...(email ? { contact: { name: name.normalize('NFC'), email, ...(phoneNumber ? { phone: phoneNumber } : {}) } } : {}),
  };
};

export const isBadRow = (row: ImportRow | BadRow): row is BadRow => 'reason' in row;

// ---- the plan ------------------------------------------------------------------------------------

/** An account with its contacts, to be opened; `lines` are the rows it came from. */
export interface PlannedAccount {
  kind: 'account';
  id: string;
  name: string;
  country?: string;
  city?: string;
  address?: string;
  postcode?: string;
  owner: string;
  contacts: { name: string; email: string; phone?: string }[];
  lines: number[];
}

/** A lead (a suspect for its territory's SM), one per address. */
export interface PlannedLead {
  kind: 'lead';
  id: string;
  line: number;
  name: string;
  email: string;
  phone?: string;
  company: string;
  country?: string;
  owner: string;
}

export type PlannedRecord = PlannedAccount | PlannedLead;

export interface Duplicate {
  line: number;
  reason: string;
  /** The record already in salesflow, when the duplicate is of one. */
  existing?: { kind: 'lead' | 'account'; id: string };
}

export interface ImportPlan {
  accounts: PlannedAccount[];
  leads: PlannedLead[];
  duplicates: Duplicate[];
  badRows: BadRow[];
}

/** An account holds this many contacts at most from one import; the rest are still leads. */
export const contactsPerAccount = 40;

/**
 * The rows as records: one account per company and country (its rows' contacts listed on it), one
 * lead per address, routed to the territory's SM as any lead (R4). A second row with an address
 * already seen is a duplicate; a second row of a company adds its contact to the same account.
 */
export const planImport = (rows: readonly (ImportRow | BadRow)[], territories: Territories): ImportPlan => {
  const accounts = new Map<string, PlannedAccount>();
  const leads = new Map<string, PlannedLead>();
  const duplicates: Duplicate[] = [];
  const badRows: BadRow[] = [];
  for (const row of rows) {
    if (isBadRow(row)) {
      badRows.push(row);
      continue;
    }
    const owner = ownerOfLead({ country: row.country }, territories);
    const accountId = accountIdOf(row.companyKey, row.country);
    const account = accounts.get(accountId) ?? {
      kind: 'account' as const,
      id: accountId,
      name: row.company,
      ...(row.country ? { country: row.country } : {}),
      ...(row.city ? { city: row.city } : {}),
      ...(row.address ? { address: row.address } : {}),
      ...(row.postcode ? { postcode: row.postcode } : {}),
      owner,
      contacts: [],
      lines: [],
    };
    accounts.set(accountId, account);
    account.lines.push(row.line);
    if (!row.contact) continue;
    const seen = leads.get(row.contact.email);
    if (seen) {
      duplicates.push({ line: row.line, reason: `same e-mail address as line ${seen.line} (${row.contact.email})` });
      continue;
    }
    if (account.contacts.length < contactsPerAccount) account.contacts.push(row.contact);
    leads.set(row.contact.email, {
      kind: 'lead',
      id: importedLeadId(row.contact.email),
      line: row.line,
      ...row.contact,
      company: row.company,
      ...(row.country ? { country: row.country } : {}),
      owner,
    });
  }
  return { accounts: [...accounts.values()], leads: [...leads.values()], duplicates, badRows };
};

/** What is already in salesflow, found by key: the records an import would make again. */
export interface Existing {
  leads: ReadonlyMap<string, string>;
  accounts: ReadonlySet<string>;
}

/** The plan less what is there already, each such record a duplicate of the one in salesflow. */
export const withoutExisting = (plan: ImportPlan, existing: Existing): ImportPlan => {
  const duplicates = [...plan.duplicates];
  const accounts = plan.accounts.filter((account) => {
    if (!existing.accounts.has(account.id)) return true;
    duplicates.push({
      line: account.lines[0]!,
      reason: `${account.name}${account.country ? ` (${account.country})` : ''} is an account already`,
      existing: { kind: 'account', id: account.id },
    });
    return false;
  });
  const leads = plan.leads.filter((lead) => {
    const id = existing.leads.get(lead.email);
    if (!id) return true;
    duplicates.push({ line: lead.line, reason: `${lead.email} is a lead already`, existing: { kind: 'lead', id } });
    return false;
  });
  return { ...plan, accounts, leads, duplicates: duplicates.sort((a, b) => a.line - b.line) };
};

// ---- the records ---------------------------------------------------------------------------------

/** An imported lead: a suspect of its territory's SM, its timeline saying where it came from. Nobody is emailed. */
export const importedLead = (planned: PlannedLead, importId: string, by: string, now: string): { lead: Lead; entry: TimelineEntry } => ({
  lead: {
    id: planned.id,
    channel: importedChannel,
    source: 'prior-contact',
    contact: {
      name: planned.name,
      email: planned.email,
      company: planned.company,
      ...(planned.phone ? { phone: planned.phone } : {}),
      ...(planned.country ? { country: planned.country } : {}),
    },
    literature: [],
    importId,
    status: 'suspect',
    owner: planned.owner,
    createdAt: now,
    updatedAt: now,
  },
  entry: {
    id: stableId(planned.id, 'imported', importId),
    at: now,
    actor: by,
    kind: 'lead-logged',
    channel: 'internal',
    summary: `Imported from a CRM export (line ${planned.line}) for ${planned.company}; owner ${planned.owner}; nobody was emailed`,
    detail: { source: 'prior-contact', importId, line: planned.line },
  },
});

/** The account's fields as POST /accounts would have them: a direct customer, not selected. */
export const importedAccount = (
  planned: PlannedAccount,
  importId: string,
): Omit<Account, 'createdBy' | 'createdAt' | 'id'> & { importId: string; address?: Record<string, string> } => ({
  kind: 'customer',
  name: planned.name,
  ownerEmail: planned.owner,
  selected: false,
  servedBy: 'direct',
  orderChannel: 'standard',
  contacts: planned.contacts,
  importId,
  ...(planned.country || planned.city || planned.address || planned.postcode
    ? {
        address: {
          ...(planned.address ? { street: planned.address } : {}),
          ...(planned.postcode ? { postcode: planned.postcode } : {}),
          ...(planned.city ? { city: planned.city } : {}),
          ...(planned.country ? { country: planned.country } : {}),
        },
      }
    : {}),
});
