import type { BillingModel, CostCenter, CurrencyCode, EntityId, LegalEntity, Practice, Role } from './reference-data';

/**
 * The seeded firm as the generator produces it, before it is mapped into any one system.
 * Ids are the firm's own ('acct-0042'); each record also carries its sequence number `n`, from
 * which the loaders derive the id it has in each system. Money is a two-decimal string.
 */
export interface Account {
  id: string;
  n: number;
  name: string;
  entityId: EntityId;
  country: LegalEntity['country'];
  currency: CurrencyCode;
  industry: string;
  type: 'Customer' | 'Prospect';
  billingAddress: PostalAddress;
  billingEmail: string;
  /** VAT / USt-IdNr / EIN; null where the firm never recorded one. */
  taxRegistration: string | null;
  createdDate: string;
  /** Set on the second record of a customer entered twice. */
  duplicateOf: string | null;
}

export interface PostalAddress {
  line1: string;
  city: string;
  /** US state code; null elsewhere. */
  state: string | null;
  postalCode: string;
  /** ISO country code. */
  country: string;
}

export type OpportunityStage =
  | 'Prospecting'
  | 'Qualification'
  | 'Needs Analysis'
  | 'Proposal/Price Quote'
  | 'Negotiation/Review'
  | 'Closed Won'
  | 'Closed Lost';

export interface Opportunity {
  id: string;
  n: number;
  accountId: string;
  name: string;
  entityId: EntityId;
  practiceId: Practice['id'];
  costCenterId: CostCenter['id'];
  billingModel: BillingModel;
  stage: OpportunityStage;
  probability: number;
  createdDate: string;
  closeDate: string;
  amount: string;
  currency: CurrencyCode;
}

export interface OpportunityLineItem {
  id: string;
  n: number;
  opportunityId: string;
  roleId: Role['id'];
  name: string;
  quantity: string;
  unitPrice: string;
  totalPrice: string;
}

export type ProjectStatus = 'pending_activation' | 'active' | 'completed';

export interface Project {
  id: string;
  n: number;
  opportunityId: string;
  accountId: string;
  name: string;
  entityId: EntityId;
  practiceId: Practice['id'];
  costCenterId: CostCenter['id'];
  billingModel: BillingModel;
  currency: CurrencyCode;
  status: ProjectStatus;
  /** When the ERP project was created; null while it waits for activation. */
  activatedDate: string | null;
  startDate: string;
  endDate: string;
  /** Contract value plus approved change orders. */
  budget: string;
  teamConsultantIds: string[];
  /** No invoices were raised (the project's problem blocks billing). */
  billingHold: boolean;
}

export interface RateCardLine {
  id: string;
  n: number;
  projectId: string;
  roleId: Role['id'];
  rate: string;
  currency: CurrencyCode;
  effectiveFrom: string;
}

export interface Consultant {
  id: string;
  n: number;
  name: string;
  email: string;
  entityId: EntityId;
  practiceId: Practice['id'];
  roleId: Role['id'];
}

export interface TimeEntry {
  id: string;
  n: number;
  projectId: string;
  consultantId: string;
  roleId: Role['id'];
  date: string;
  /** Quarter-hour steps, e.g. '7.25'. */
  hours: string;
  /** From the project's rate card; null when the project has none. */
  rate: string | null;
  amount: string | null;
  currency: CurrencyCode;
  billable: boolean;
  status: 'approved';
  approvedDate: string;
  invoiceId: string | null;
  memo: string;
}

export interface Milestone {
  id: string;
  n: number;
  projectId: string;
  name: string;
  amount: string;
  currency: CurrencyCode;
  dueDate: string;
  status: 'pending' | 'completed';
  completedDate: string | null;
  invoiceId: string | null;
}

export interface Retainer {
  id: string;
  n: number;
  projectId: string;
  monthlyFee: string;
  currency: CurrencyCode;
  includedHours: number;
  startDate: string;
  endDate: string;
}

export interface ChangeOrder {
  id: string;
  n: number;
  projectId: string;
  opportunityId: string;
  description: string;
  amount: string;
  currency: CurrencyCode;
  status: 'submitted' | 'approved' | 'rejected';
  submittedDate: string;
  approvedDate: string | null;
  /** Approved and already carried into the ERP project budget. */
  inErp: boolean;
}

export interface InvoiceLine {
  description: string;
  quantity: string;
  unitAmount: string;
  amount: string;
  /** What the line bills: a month of time for a role, a milestone, or a retainer month. */
  source:
    | { kind: 'time'; month: string; roleId: Role['id'] }
    | { kind: 'milestone'; milestoneId: string }
    | { kind: 'retainer'; month: string };
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void';

export interface Invoice {
  id: string;
  n: number;
  number: string;
  projectId: string;
  accountId: string;
  entityId: EntityId;
  currency: CurrencyCode;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  /** Status the ERP shows; lags behind billing for payments of the last days. */
  erpStatus: InvoiceStatus | null;
  lines: InvoiceLine[];
  subtotal: string;
  taxRatePercent: string;
  tax: string;
  total: string;
  amountPaid: string;
  paidDate: string | null;
  voidedDate: string | null;
}

export interface Payment {
  id: string;
  n: number;
  invoiceId: string;
  accountId: string;
  amount: string;
  currency: CurrencyCode;
  date: string;
  method: 'card' | 'us_bank_account' | 'bacs_debit' | 'sepa_debit';
}

export type PlantedProblemKind =
  'TAX_CODE_MISSING' | 'RATE_CARD_MISSING' | 'CURRENCY_MISMATCH' | 'DUPLICATE_ACCOUNT' | 'INVOICE_REJECTED';

/** A problem put into the data on purpose, with the firm records that carry it. */
export interface PlantedProblem {
  kind: PlantedProblemKind;
  /** The system where the product meets the problem. */
  system: 'salesforce' | 'netsuite' | 'stripe';
  description: string;
  refs: FirmRef[];
}

export type FirmRef =
  | { type: 'account'; id: string }
  | { type: 'opportunity'; id: string }
  | { type: 'project'; id: string }
  | { type: 'invoice'; id: string };

/** One block of time: one project's entries in one month. */
export interface TimeBlock {
  projectIndex: number;
  month: string;
  firstDay: number;
  lastDay: number;
  count: number;
  /** Sequence number of the block's first entry. */
  firstN: number;
  invoiceId: string | null;
}

export interface FirmOptions {
  seed: number;
  /** Approved time entries to generate. */
  scale: number;
  /** The day the firm's history runs up to (YYYY-MM-DD). */
  asOf: string;
}

export interface Firm {
  options: FirmOptions;
  entities: readonly LegalEntity[];
  practices: readonly Practice[];
  costCenters: readonly CostCenter[];
  roles: readonly Role[];
  consultants: Consultant[];
  accounts: Account[];
  opportunities: Opportunity[];
  lineItems: OpportunityLineItem[];
  projects: Project[];
  rateCards: RateCardLine[];
  milestones: Milestone[];
  retainers: Retainer[];
  changeOrders: ChangeOrder[];
  invoices: Invoice[];
  payments: Payment[];
  plantedProblems: PlantedProblem[];
  timeBlocks: TimeBlock[];
  /** Streams the approved time entries block by block; never holds them all. */
  timeEntries(): Generator<TimeEntry>;
  /** The entries of one block, generated on demand (same values as in the stream). */
  blockEntries(block: TimeBlock): TimeEntry[];
}
