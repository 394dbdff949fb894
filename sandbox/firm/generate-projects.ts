import Decimal from 'decimal.js';
import type { ChangeOrder, Consultant, Milestone, Project, RateCardLine, Retainer } from './firm-model';
import type { DealBook } from './generate-deals';
import { firmId } from './firm-ids';
import { dayNumber, isoDay } from './dates';
import { formatMinor, parseMinor, splitMinor } from './money';
import type { Random } from './prng';
import { ROLES } from './reference-data';

/** Per-deal departures from the normal course, used to plant problems. */
export interface ProjectOverride {
  /** Days before as-of when the ERP project was created; absent = the normal rule. */
  activatedDaysAgo?: number;
  noRateCard?: boolean;
  billingHold?: boolean;
  months?: number;
}

export interface ProjectBook {
  projects: Project[];
  rateCards: RateCardLine[];
  changeOrders: ChangeOrder[];
  milestones: Milestone[];
  retainers: Retainer[];
}

/** Won deals newer than this many days wait for activation. */
const ACTIVATION_LAG_DAYS = 7;
const CHANGE_ORDER_TEXT = [
  'Additional workstream for regional rollout',
  'Extended testing phase',
  'Scope increase: two more business units',
  'Data migration of legacy archive',
  'Hypercare extension',
  'Executive steering support',
];

export function generateProjects(
  random: Random,
  deals: DealBook,
  consultants: readonly Consultant[],
  asOfDay: number,
  scale: number,
  overrides: ReadonlyMap<string, ProjectOverride>,
): ProjectBook {
  const book: ProjectBook = { projects: [], rateCards: [], changeOrders: [], milestones: [], retainers: [] };
  const pool = new Map<string, Consultant[]>();
  for (const c of consultants) {
    const key = `${c.entityId}/${c.practiceId}`;
    pool.set(key, [...(pool.get(key) ?? []), c]);
  }
  // Bigger books of time come from bigger teams rather than from more hours per person.
  const teamScale = Math.max(1, Math.round(scale / 100_000));

  const won = deals.opportunities.filter((o) => o.stage === 'Closed Won').sort((a, b) => a.n - b.n);
  for (const opportunity of won) {
    const terms = deals.terms.get(opportunity.id);
    if (!terms) throw new Error(`no terms for ${opportunity.id}`);
    const override = overrides.get(opportunity.id) ?? {};
    const closeDay = dayNumber(opportunity.closeDate);
    const activatedDay =
      override.activatedDaysAgo !== undefined
        ? asOfDay - override.activatedDaysAgo
        : closeDay > asOfDay - ACTIVATION_LAG_DAYS
          ? null
          : Math.min(asOfDay, closeDay + random.int(1, 3));
    const startDay = (activatedDay ?? closeDay + 7) + random.int(2, 10);
    const months = override.months ?? terms.months;
    const endDay = startDay + months * 30 - 1;
    const n = book.projects.length + 1;
    const id = firmId('project', n);
    const candidates = [...(pool.get(`${opportunity.entityId}/${opportunity.practiceId}`) ?? [])];
    const teamSize = Math.min(candidates.length, random.int(3, 8) * teamScale);
    const team: string[] = [];
    for (let i = 0; i < teamSize; i++) {
      team.push(candidates.splice(random.int(0, candidates.length - 1), 1)[0]!.id);
    }

    const project: Project = {
      id,
      n,
      opportunityId: opportunity.id,
      accountId: opportunity.accountId,
      name: opportunity.name,
      entityId: opportunity.entityId,
      practiceId: opportunity.practiceId,
      costCenterId: opportunity.costCenterId,
      billingModel: opportunity.billingModel,
      currency: opportunity.currency,
      status: activatedDay === null ? 'pending_activation' : endDay < asOfDay ? 'completed' : 'active',
      activatedDate: activatedDay === null ? null : isoDay(activatedDay),
      startDate: isoDay(startDay),
      endDate: isoDay(endDay),
      budget: opportunity.amount,
      teamConsultantIds: team,
      billingHold: override.billingHold ?? false,
    };
    book.projects.push(project);
    if (activatedDay === null) continue;

    if (!override.noRateCard) {
      for (const role of ROLES) {
        const rateN = book.rateCards.length + 1;
        book.rateCards.push({
          id: firmId('rateCard', rateN),
          n: rateN,
          projectId: id,
          roleId: role.id,
          rate: formatMinor(terms.rates[role.id]),
          currency: project.currency,
          effectiveFrom: project.startDate,
        });
      }
    }

    if (random.chance(0.12)) addChangeOrders(book, random, project, asOfDay, startDay, endDay);
    if (project.billingModel === 'fixed_fee') addMilestones(book, random, project, asOfDay, startDay, endDay);
    if (project.billingModel === 'retainer' && terms.monthlyFee !== null) {
      const retainerN = book.retainers.length + 1;
      book.retainers.push({
        id: firmId('retainer', retainerN),
        n: retainerN,
        projectId: id,
        monthlyFee: formatMinor(terms.monthlyFee),
        currency: project.currency,
        includedHours: random.pick([40, 60, 80, 120]),
        startDate: project.startDate,
        endDate: project.endDate,
      });
    }
  }
  return book;
}

function addChangeOrders(
  book: ProjectBook,
  random: Random,
  project: Project,
  asOfDay: number,
  startDay: number,
  endDay: number,
) {
  const contract = parseMinor(project.budget);
  let approvedInErp = 0;
  const count = random.int(1, 2);
  for (let i = 0; i < count; i++) {
    const submittedDay = Math.min(asOfDay, random.int(startDay, Math.max(startDay, endDay)));
    if (submittedDay < startDay) continue;
    const status = random.weighted([
      ['approved', 60],
      ['submitted', 25],
      ['rejected', 15],
    ] as const);
    const approvedDay = status === 'approved' ? Math.min(asOfDay, submittedDay + random.int(2, 10)) : null;
    const amount = new Decimal(contract)
      .times(random.int(5, 20))
      .dividedBy(100)
      .dividedBy(10_000)
      .toDecimalPlaces(0)
      .times(10_000)
      .toNumber();
    const inErp = approvedDay !== null && approvedDay <= asOfDay - 3;
    if (inErp) approvedInErp += amount;
    const n = book.changeOrders.length + 1;
    book.changeOrders.push({
      id: firmId('changeOrder', n),
      n,
      projectId: project.id,
      opportunityId: project.opportunityId,
      description: random.pick(CHANGE_ORDER_TEXT),
      amount: formatMinor(amount),
      currency: project.currency,
      status,
      submittedDate: isoDay(submittedDay),
      approvedDate: approvedDay === null ? null : isoDay(approvedDay),
      inErp,
    });
  }
  project.budget = formatMinor(contract + approvedInErp);
}

function addMilestones(
  book: ProjectBook,
  random: Random,
  project: Project,
  asOfDay: number,
  startDay: number,
  endDay: number,
) {
  const count = random.int(3, 5);
  const weights = Array.from({ length: count }, () => random.int(2, 5));
  const amounts = splitMinor(parseMinor(project.budget), weights, 10_000);
  const names = ['Discovery complete', 'Design signed off', 'Build complete', 'User acceptance', 'Go-live', 'Handover'];
  for (let k = 0; k < count; k++) {
    const dueDay = startDay + Math.round(((endDay - startDay) * (k + 1)) / count);
    const completed = dueDay <= asOfDay && random.chance(0.9);
    const completedDay = completed ? Math.min(asOfDay, dueDay + random.int(-3, 3)) : null;
    const n = book.milestones.length + 1;
    book.milestones.push({
      id: firmId('milestone', n),
      n,
      projectId: project.id,
      name: `M${k + 1}: ${names[k] ?? 'Milestone'}`,
      amount: formatMinor(amounts[k]!),
      currency: project.currency,
      dueDate: isoDay(dueDay),
      status: completed ? 'completed' : 'pending',
      completedDate: completedDay === null ? null : isoDay(completedDay),
      invoiceId: null,
    });
  }
}
