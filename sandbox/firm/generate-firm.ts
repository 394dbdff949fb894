import type { Firm, FirmOptions, FirmRef, PlantedProblem, TimeEntry } from './firm-model';
import { dayNumber, todayIso } from './dates';
import { createRandom } from './prng';
import { generateConsultants } from './generate-consultants';
import { generateAccounts } from './generate-accounts';
import { generateDeals } from './generate-deals';
import { generateProjects } from './generate-projects';
import { generateInvoices } from './generate-invoices';
import { plantDealProblems, plantRejectedInvoice } from './planted-problems';
import { blockEntryGenerator, planTimeBlocks } from './time-entries';
import { COST_CENTERS, LEGAL_ENTITIES, PRACTICES, ROLES } from './reference-data';

export const DEFAULT_SEED = 42;
export const DEFAULT_SCALE = 20_000;
export const MAX_SCALE = 1_000_000;

/**
 * Generates the seeded consulting firm. The same seed, scale and as-of day give the same firm,
 * byte for byte; everything but the time entries is held in memory (a few thousand records),
 * while the entries are produced block by block on demand.
 */
export function generateFirm(options: Partial<FirmOptions> = {}): Firm {
  const resolved: FirmOptions = {
    seed: options.seed ?? DEFAULT_SEED,
    scale: options.scale ?? DEFAULT_SCALE,
    asOf: options.asOf ?? todayIso(),
  };
  const { seed, scale } = resolved;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError('seed must be an integer from 0 to 4294967295');
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE)
    throw new RangeError(`scale must be an integer from 0 to ${MAX_SCALE}`);
  const asOfDay = dayNumber(resolved.asOf);

  const root = createRandom(seed);
  const consultants = generateConsultants(root.fork('consultants'), scale);
  const accounts = generateAccounts(root.fork('accounts'), asOfDay);
  const deals = generateDeals(root.fork('deals'), accounts, asOfDay);
  const planting = plantDealProblems(root.fork('planted'), accounts, deals, asOfDay);
  const projectBook = generateProjects(root.fork('projects'), deals, consultants, asOfDay, scale, planting.overrides);
  const { projects } = projectBook;

  const customers = new Set(deals.opportunities.filter((o) => o.stage === 'Closed Won').map((o) => o.accountId));
  for (const account of accounts) account.type = customers.has(account.id) ? 'Customer' : 'Prospect';

  const timeBlocks = planTimeBlocks(projects, asOfDay, scale);
  const blockEntries = blockEntryGenerator({ seed, asOfDay, projects, rateCards: projectBook.rateCards, consultants });
  const billing = generateInvoices(root.fork('billing'), {
    asOfDay,
    projects,
    accounts,
    milestones: projectBook.milestones,
    retainers: projectBook.retainers,
    blocks: timeBlocks,
    blockEntries,
  });
  const rejected = plantRejectedInvoice(
    { projects, milestones: projectBook.milestones, invoices: billing.invoices },
    planting,
    asOfDay,
  );

  const plantedProblems = [...planting.problems, rejected].map((problem) => withProjects(problem, projects));

  return {
    options: resolved,
    entities: LEGAL_ENTITIES,
    practices: PRACTICES,
    costCenters: COST_CENTERS,
    roles: ROLES,
    consultants,
    accounts,
    opportunities: deals.opportunities,
    lineItems: deals.lineItems,
    projects,
    rateCards: projectBook.rateCards,
    milestones: projectBook.milestones,
    retainers: projectBook.retainers,
    changeOrders: projectBook.changeOrders,
    invoices: billing.invoices,
    payments: billing.payments,
    plantedProblems,
    timeBlocks,
    blockEntries,
    *timeEntries(): Generator<TimeEntry> {
      for (const block of timeBlocks) yield* blockEntries(block);
    },
  };
}

/** Adds the project of each referenced deal, so a problem names every record that carries it. */
function withProjects(problem: PlantedProblem, projects: Firm['projects']): PlantedProblem {
  const refs: FirmRef[] = [...problem.refs];
  for (const ref of problem.refs) {
    if (ref.type !== 'opportunity') continue;
    const project = projects.find((p) => p.opportunityId === ref.id);
    if (project && !refs.some((r) => r.type === 'project' && r.id === project.id))
      refs.push({ type: 'project', id: project.id });
  }
  return { ...problem, refs };
}
