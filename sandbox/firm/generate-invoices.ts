import type {
  Account,
  Invoice,
  InvoiceLine,
  Milestone,
  Payment,
  Project,
  Retainer,
  TimeBlock,
  TimeEntry,
} from './firm-model';
import { firmId } from './firm-ids';
import { addMonths, dayNumber, isoDay, monthStart } from './dates';
import { formatMinor, parseMinor, taxOn, type Minor } from './money';
import type { Random } from './prng';
import { TIME_WINDOW_MONTHS, entryQuarters } from './time-entries';
import { legalEntity, ROLES, type Role } from './reference-data';

/** Invoices for a month of time go out on this day of the following month. */
const TIME_INVOICE_DAY = 4;
const PAYMENT_TERMS_DAYS = 30;

interface InvoiceDraft {
  project: Project;
  issueDay: number;
  order: number;
  lines: InvoiceLine[];
  bill: (invoiceId: string) => void;
}

export interface BillingInput {
  asOfDay: number;
  projects: readonly Project[];
  accounts: readonly Account[];
  milestones: readonly Milestone[];
  retainers: readonly Retainer[];
  blocks: readonly TimeBlock[];
  blockEntries: (block: TimeBlock) => TimeEntry[];
}

/**
 * Raises the invoices the firm has already sent (time by month, completed milestones, retainer
 * months), ages them into draft / open / paid / void, and records the payments.
 */
export function generateInvoices(random: Random, input: BillingInput): { invoices: Invoice[]; payments: Payment[] } {
  const { asOfDay } = input;
  const drafts: InvoiceDraft[] = [];
  const currentMonth = monthStart(asOfDay);
  // Some projects are a month behind on billing: their last closed month is approved but not invoiced.
  const lagging = new Set(input.projects.filter(() => random.chance(0.08)).map((p) => p.id));

  for (const block of input.blocks) {
    const project = input.projects[block.projectIndex]!;
    if (project.billingModel !== 'time_and_materials' || project.billingHold) continue;
    const monthFirst = dayNumber(`${block.month}-01`);
    if (monthFirst >= currentMonth) continue;
    const issueDay = addMonths(monthFirst, 1) + TIME_INVOICE_DAY - 1;
    if (issueDay > asOfDay) continue;
    if (lagging.has(project.id) && addMonths(monthFirst, 1) === currentMonth) continue;
    const lines = timeLines(block, input.blockEntries(block));
    if (lines.length === 0) continue;
    drafts.push({
      project,
      issueDay,
      order: 0,
      lines,
      bill: (invoiceId) => {
        block.invoiceId = invoiceId;
      },
    });
  }

  const projectsById = new Map(input.projects.map((p) => [p.id, p]));
  for (const milestone of input.milestones) {
    const project = projectsById.get(milestone.projectId)!;
    if (project.billingHold || milestone.completedDate === null) continue;
    const completedDay = dayNumber(milestone.completedDate);
    if (completedDay > asOfDay - 5 || random.chance(0.1)) continue;
    drafts.push({
      project,
      issueDay: completedDay + 2,
      order: 1,
      lines: [milestoneLine(milestone)],
      bill: (invoiceId) => {
        milestone.invoiceId = invoiceId;
      },
    });
  }

  for (const retainer of input.retainers) {
    const project = projectsById.get(retainer.projectId)!;
    if (project.billingHold) continue;
    for (const { month, issueDay } of retainerMonths(retainer, asOfDay)) {
      // A third of the retainers have not been invoiced for the current month yet.
      if (retainer.n % 3 === 0 && issueDay >= currentMonth) continue;
      drafts.push({
        project,
        issueDay,
        order: 2,
        lines: [
          {
            description: `Retainer ${month}`,
            quantity: '1',
            unitAmount: retainer.monthlyFee,
            amount: retainer.monthlyFee,
            source: { kind: 'retainer', month },
          },
        ],
        bill: () => {},
      });
    }
  }

  drafts.sort((a, b) => a.issueDay - b.issueDay || a.project.n - b.project.n || a.order - b.order);
  const accountsById = new Map(input.accounts.map((a) => [a.id, a]));
  const invoices: Invoice[] = [];
  const payments: Payment[] = [];
  const numbers = new Map<string, number>();
  for (const draft of drafts) {
    const invoice = raiseInvoice(
      draft.project,
      accountsById.get(draft.project.accountId)!,
      draft.issueDay,
      draft.lines,
      invoices.length + 1,
      numbers,
    );
    draft.bill(invoice.id);
    ageInvoice(random, invoice, asOfDay);
    invoices.push(invoice);
    if (invoice.status === 'paid') payments.push(paymentFor(random, invoice, payments.length + 1));
  }
  return { invoices, payments };
}

/** The months a retainer's fee falls due in the time window up to the as-of day, and the day each does. */
export function retainerMonths(retainer: Retainer, asOfDay: number): { month: string; issueDay: number }[] {
  const startDay = dayNumber(retainer.startDate);
  const endDay = dayNumber(retainer.endDate);
  const months: { month: string; issueDay: number }[] = [];
  for (let m = TIME_WINDOW_MONTHS - 1; m >= 0; m--) {
    const monthFirst = addMonths(asOfDay, -m);
    const issueDay = Math.max(monthFirst, startDay);
    if (issueDay > asOfDay || issueDay > endDay || addMonths(monthFirst, 1) <= startDay) continue;
    months.push({ month: isoDay(monthFirst).slice(0, 7), issueDay });
  }
  return months;
}

export function raiseInvoice(
  project: Project,
  account: Account,
  issueDay: number,
  lines: InvoiceLine[],
  n: number,
  numbers: Map<string, number>,
): Invoice {
  const entity = legalEntity(project.entityId);
  const subtotal = lines.reduce((sum, line) => sum + parseMinor(line.amount), 0);
  const tax = taxOn(subtotal, entity.taxRatePercent);
  const sequence = (numbers.get(entity.id) ?? 0) + 1;
  numbers.set(entity.id, sequence);
  return {
    id: firmId('invoice', n),
    n,
    number: `${entity.id}-${isoDay(issueDay).slice(0, 4)}-${String(sequence).padStart(5, '0')}`,
    projectId: project.id,
    accountId: account.id,
    entityId: project.entityId,
    currency: project.currency,
    issueDate: isoDay(issueDay),
    dueDate: isoDay(issueDay + PAYMENT_TERMS_DAYS),
    status: 'draft',
    erpStatus: null,
    lines,
    subtotal: formatMinor(subtotal),
    taxRatePercent: entity.taxRatePercent,
    tax: formatMinor(tax),
    total: formatMinor(subtotal + tax),
    amountPaid: '0.00',
    paidDate: null,
    voidedDate: null,
  };
}

/** Older invoices are mostly paid; the ERP learns of a payment a day or two after billing does. */
function ageInvoice(random: Random, invoice: Invoice, asOfDay: number): void {
  const issueDay = dayNumber(invoice.issueDate);
  const age = asOfDay - issueDay;
  if (age <= 2) return;
  const paidShare = age > 60 ? 0.95 : age > 30 ? 0.8 : 0.45;
  const draw = random.next();
  if (age > 20 && draw < 0.015) {
    invoice.status = 'void';
    invoice.voidedDate = isoDay(issueDay + random.int(1, Math.min(age, 20)));
    invoice.erpStatus = 'void';
  } else if (draw < paidShare) {
    const paidDay = issueDay + random.int(3, Math.min(age, 50));
    invoice.status = 'paid';
    invoice.paidDate = isoDay(paidDay);
    invoice.amountPaid = invoice.total;
    invoice.erpStatus = paidDay >= asOfDay - 1 ? 'open' : 'paid';
  } else {
    invoice.status = 'open';
    invoice.erpStatus = 'open';
  }
}

function paymentFor(random: Random, invoice: Invoice, n: number): Payment {
  const methods = {
    USD: ['card', 'us_bank_account'],
    GBP: ['card', 'bacs_debit'],
    EUR: ['card', 'sepa_debit'],
  } as const;
  return {
    id: firmId('payment', n),
    n,
    invoiceId: invoice.id,
    accountId: invoice.accountId,
    amount: invoice.total,
    currency: invoice.currency,
    date: invoice.paidDate!,
    method: random.pick(methods[invoice.currency]),
  };
}

function timeLines(block: TimeBlock, entries: readonly TimeEntry[]): InvoiceLine[] {
  const byRole = new Map<Role['id'], { quarters: number; amount: Minor; rate: string }>();
  for (const entry of entries) {
    if (entry.rate === null || entry.amount === null) continue;
    const sum = byRole.get(entry.roleId) ?? { quarters: 0, amount: 0, rate: entry.rate };
    sum.quarters += entryQuarters(entry);
    sum.amount += parseMinor(entry.amount);
    byRole.set(entry.roleId, sum);
  }
  return ROLES.filter((role) => byRole.has(role.id)).map((role) => {
    const sum = byRole.get(role.id)!;
    return {
      description: `${role.name} time ${block.month}`,
      quantity: formatMinor(sum.quarters * 25),
      unitAmount: sum.rate,
      amount: formatMinor(sum.amount),
      source: { kind: 'time', month: block.month, roleId: role.id },
    };
  });
}

export function milestoneLine(milestone: Milestone): InvoiceLine {
  return {
    description: milestone.name,
    quantity: '1',
    unitAmount: milestone.amount,
    amount: milestone.amount,
    source: { kind: 'milestone', milestoneId: milestone.id },
  };
}
