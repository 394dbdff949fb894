/**
 * The fixed parts of the seeded firm: its legal entities, practices, roles and the word lists
 * its names are drawn from. Changing anything here changes every seed's output.
 */
export type EntityId = 'US' | 'UK' | 'DE';
export type CurrencyCode = 'USD' | 'GBP' | 'EUR';
export type BillingModel = 'time_and_materials' | 'fixed_fee' | 'retainer';

export interface LegalEntity {
  id: EntityId;
  name: string;
  /** ISO country code of the entity and of its home customers. */
  country: 'US' | 'GB' | 'DE';
  countryName: string;
  currency: CurrencyCode;
  taxRegime: 'US_SALES_TAX' | 'UK_VAT' | 'DE_UST';
  /** Rate applied to professional services, percent as a decimal string. */
  taxRatePercent: string;
  /** The tax code the ERP posts invoices with. */
  taxCode: string;
  /** NetSuite subsidiary internal id. */
  subsidiaryId: number;
}

export const LEGAL_ENTITIES: readonly LegalEntity[] = [
  {
    id: 'US',
    name: 'Syncwright Consulting Inc.',
    country: 'US',
    countryName: 'United States',
    currency: 'USD',
    taxRegime: 'US_SALES_TAX',
    // Consulting services are exempt from sales tax in the states the firm bills; the regime still
    // requires an exemption certificate or EIN on file for each customer.
    taxRatePercent: '0',
    taxCode: 'US-SVC-EXEMPT',
    subsidiaryId: 1,
  },
  {
    id: 'UK',
    name: 'Syncwright Consulting Ltd',
    country: 'GB',
    countryName: 'United Kingdom',
    currency: 'GBP',
    taxRegime: 'UK_VAT',
    taxRatePercent: '20',
    taxCode: 'GB-VAT-STD-20',
    subsidiaryId: 2,
  },
  {
    id: 'DE',
    name: 'Syncwright Beratung GmbH',
    country: 'DE',
    countryName: 'Germany',
    currency: 'EUR',
    taxRegime: 'DE_UST',
    taxRatePercent: '19',
    taxCode: 'DE-UST-19',
    subsidiaryId: 3,
  },
];

export function legalEntity(id: EntityId): LegalEntity {
  const entity = LEGAL_ENTITIES.find((e) => e.id === id);
  if (!entity) throw new RangeError(`unknown legal entity ${id}`);
  return entity;
}

export interface Practice {
  id: 'strategy' | 'data-ai' | 'cloud' | 'cybersecurity';
  name: string;
  code: string;
}

export const PRACTICES: readonly Practice[] = [
  { id: 'strategy', name: 'Strategy', code: 'STR' },
  { id: 'data-ai', name: 'Data & AI', code: 'DAI' },
  { id: 'cloud', name: 'Cloud', code: 'CLD' },
  { id: 'cybersecurity', name: 'Cybersecurity', code: 'CYB' },
];

export interface CostCenter {
  /** e.g. 'UK-DAI-200' */
  id: string;
  entityId: EntityId;
  practiceId: Practice['id'];
  name: string;
  /** NetSuite department internal id. */
  departmentId: number;
}

export const COST_CENTERS: readonly CostCenter[] = LEGAL_ENTITIES.flatMap((entity, e) =>
  PRACTICES.map((practice, p) => ({
    id: `${entity.id}-${practice.code}-${(p + 1) * 100}`,
    entityId: entity.id,
    practiceId: practice.id,
    name: `${practice.name} ${entity.id}`,
    departmentId: 100 + e * 10 + p + 1,
  })),
);

export function costCenterFor(entityId: EntityId, practiceId: Practice['id']): CostCenter {
  const found = COST_CENTERS.find((c) => c.entityId === entityId && c.practiceId === practiceId);
  if (!found) throw new RangeError(`no cost center for ${entityId}/${practiceId}`);
  return found;
}

export interface Role {
  id: 'partner' | 'principal' | 'senior-consultant' | 'consultant' | 'analyst';
  name: string;
  /** List rate per hour in whole currency units, by currency. */
  listRate: Record<CurrencyCode, number>;
  /** Relative share of a project's staffing. */
  staffingWeight: number;
}

export const ROLES: readonly Role[] = [
  { id: 'partner', name: 'Partner', listRate: { USD: 475, GBP: 385, EUR: 440 }, staffingWeight: 1 },
  { id: 'principal', name: 'Principal', listRate: { USD: 360, GBP: 290, EUR: 335 }, staffingWeight: 2 },
  { id: 'senior-consultant', name: 'Senior Consultant', listRate: { USD: 265, GBP: 215, EUR: 245 }, staffingWeight: 4 },
  { id: 'consultant', name: 'Consultant', listRate: { USD: 195, GBP: 160, EUR: 180 }, staffingWeight: 5 },
  { id: 'analyst', name: 'Analyst', listRate: { USD: 140, GBP: 115, EUR: 130 }, staffingWeight: 3 },
];

export const INDUSTRIES = [
  'Banking',
  'Insurance',
  'Healthcare',
  'Retail',
  'Manufacturing',
  'Energy',
  'Telecommunications',
  'Media',
  'Finance',
  'Government',
  'Education',
  'Technology',
] as const;

export const COMPANY_WORDS: Record<
  EntityId,
  { first: readonly string[]; second: readonly string[]; suffix: readonly string[] }
> = {
  US: {
    first: [
      'Northwind',
      'Bluefield',
      'Cedar',
      'Granite',
      'Harbor',
      'Liberty',
      'Summit',
      'Redwood',
      'Prairie',
      'Lakeshore',
      'Ironclad',
      'Silverline',
      'Keystone',
      'Beacon',
      'Frontier',
    ],
    second: [
      'Logistics',
      'Health',
      'Capital',
      'Foods',
      'Energy',
      'Mutual',
      'Systems',
      'Retail',
      'Pharma',
      'Media',
      'Freight',
      'Labs',
    ],
    suffix: ['Inc.', 'Corp.', 'LLC', 'Group', 'Holdings'],
  },
  UK: {
    first: [
      'Thames',
      'Pennine',
      'Albion',
      'Kingsway',
      'Mersey',
      'Cotswold',
      'Highgate',
      'Severn',
      'Fenwick',
      'Ashdown',
      'Brampton',
      'Wessex',
    ],
    second: [
      'Insurance',
      'Building Society',
      'Retail',
      'Utilities',
      'Rail',
      'Media',
      'Pharmaceuticals',
      'Logistics',
      'Telecom',
      'Partners',
    ],
    suffix: ['Ltd', 'plc', 'Group plc', 'LLP'],
  },
  DE: {
    first: [
      'Rhein',
      'Alpen',
      'Nordsee',
      'Hansa',
      'Elbe',
      'Bavaria',
      'Schwarzwald',
      'Main',
      'Spree',
      'Isar',
      'Weser',
      'Mosel',
    ],
    second: [
      'Versicherung',
      'Maschinenbau',
      'Logistik',
      'Energie',
      'Handel',
      'Chemie',
      'Bank',
      'Medien',
      'Pharma',
      'Automobil',
    ],
    suffix: ['GmbH', 'AG', 'SE', 'KG'],
  },
};

export const FIRST_NAMES: Record<EntityId, readonly string[]> = {
  US: [
    'James',
    'Maria',
    'Robert',
    'Linda',
    'Michael',
    'Priya',
    'David',
    'Aisha',
    'Daniel',
    'Emily',
    'Carlos',
    'Grace',
    'Kevin',
    'Sofia',
    'Brian',
    'Mei',
  ],
  UK: [
    'Oliver',
    'Amelia',
    'Harry',
    'Isla',
    'George',
    'Ava',
    'Jack',
    'Freya',
    'Arjun',
    'Chloe',
    'Thomas',
    'Zara',
    'William',
    'Niamh',
  ],
  DE: [
    'Lukas',
    'Anna',
    'Felix',
    'Lea',
    'Jonas',
    'Hannah',
    'Leon',
    'Mia',
    'Paul',
    'Emilia',
    'Elias',
    'Sophie',
    'Finn',
    'Lena',
  ],
};

export const LAST_NAMES: Record<EntityId, readonly string[]> = {
  US: [
    'Smith',
    'Johnson',
    'Garcia',
    'Chen',
    'Patel',
    'Williams',
    'Brown',
    'Nguyen',
    'Lopez',
    'Miller',
    'Davis',
    'Kim',
    'Wilson',
    'Moore',
  ],
  UK: [
    'Taylor',
    'Evans',
    'Thomas',
    'Roberts',
    'Walker',
    'Wright',
    'Khan',
    'Hughes',
    'Edwards',
    'Green',
    'Hall',
    'Wood',
    'Clarke',
  ],
  DE: [
    'Müller',
    'Schmidt',
    'Schneider',
    'Fischer',
    'Weber',
    'Meyer',
    'Wagner',
    'Becker',
    'Schulz',
    'Hoffmann',
    'Koch',
    'Richter',
  ],
};

export const PROJECT_THEMES: Record<Practice['id'], readonly string[]> = {
  strategy: [
    'Operating Model Review',
    'Growth Strategy',
    'Cost Transformation',
    'Post-Merger Integration',
    'Target Operating Model',
  ],
  'data-ai': [
    'Data Platform Build',
    'ML Forecasting Pilot',
    'Customer Analytics',
    'GenAI Assistant',
    'Data Governance Programme',
  ],
  cloud: [
    'Cloud Migration Wave',
    'Landing Zone Setup',
    'Platform Modernisation',
    'FinOps Assessment',
    'Kubernetes Adoption',
  ],
  cybersecurity: [
    'Security Assessment',
    'Zero Trust Roadmap',
    'SOC Uplift',
    'Identity Programme',
    'Incident Readiness',
  ],
};

/** Billing addresses: city, region (US state) and postal code, by entity. */
export const CITIES: Record<EntityId, readonly (readonly [city: string, state: string | null, postalCode: string])[]> =
  {
    US: [
      ['New York', 'NY', '10017'],
      ['Chicago', 'IL', '60601'],
      ['Austin', 'TX', '78701'],
      ['Boston', 'MA', '02110'],
      ['Seattle', 'WA', '98101'],
      ['Atlanta', 'GA', '30303'],
      ['Denver', 'CO', '80202'],
      ['San Francisco', 'CA', '94105'],
    ],
    UK: [
      ['London', null, 'EC2V 7HH'],
      ['Manchester', null, 'M1 1AE'],
      ['Leeds', null, 'LS1 4DY'],
      ['Bristol', null, 'BS1 4DJ'],
      ['Edinburgh', null, 'EH2 2ER'],
      ['Birmingham', null, 'B2 4QA'],
    ],
    DE: [
      ['Berlin', null, '10117'],
      ['München', null, '80331'],
      ['Hamburg', null, '20095'],
      ['Frankfurt am Main', null, '60311'],
      ['Köln', null, '50667'],
      ['Stuttgart', null, '70173'],
    ],
  };

export const STREETS: Record<EntityId, readonly string[]> = {
  US: ['Main Street', 'Market Street', 'Park Avenue', 'Commerce Drive', 'Lake Shore Drive', 'Congress Avenue'],
  UK: ['High Street', 'King Street', 'Queen Street', 'Victoria Road', 'Church Lane', 'Station Road'],
  DE: ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Goethestraße', 'Marktplatz', 'Lindenallee'],
};
