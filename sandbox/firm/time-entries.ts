import type { Consultant, Project, RateCardLine, TimeBlock, TimeEntry } from './firm-model';
import { firmId } from './firm-ids';
import { addMonths, dayNumber, isWeekday, isoDay } from './dates';
import { formatMinor, parseMinor, quarterHoursAmount, type Minor } from './money';
import { createRandom } from './prng';
import type { Role } from './reference-data';

/** Months of booked time up to the as-of day: the current month and the five before it. */
export const TIME_WINDOW_MONTHS = 6;

const QUARTERS: readonly (readonly [number, number])[] = [
  [32, 34],
  [30, 8],
  [28, 10],
  [24, 12],
  [20, 6],
  [16, 14],
  [12, 7],
  [8, 6],
  [6, 2],
  [4, 1],
];
const HOURS_TEXT = Array.from({ length: 49 }, (_, q) => `${Math.floor(q / 4)}.${['00', '25', '50', '75'][q % 4]}`);
const MEMOS = [
  'Client workshop',
  'Stakeholder interviews',
  'Analysis and modelling',
  'Solution design',
  'Build and configuration',
  'Testing support',
  'Status reporting',
  'Documentation',
  'Data preparation',
  'Steering committee preparation',
];

/**
 * Splits `scale` entries over every (activated project, month) block in the window, in proportion
 * to working days times team size, so the total is exactly `scale`.
 */
export function planTimeBlocks(projects: readonly Project[], asOfDay: number, scale: number): TimeBlock[] {
  const candidates: { block: Omit<TimeBlock, 'count' | 'firstN'>; weight: number }[] = [];
  projects.forEach((project, projectIndex) => {
    if (project.activatedDate === null || project.teamConsultantIds.length === 0) return;
    const start = dayNumber(project.startDate);
    const end = Math.min(dayNumber(project.endDate), asOfDay);
    for (let m = TIME_WINDOW_MONTHS - 1; m >= 0; m--) {
      const monthFirst = addMonths(asOfDay, -m);
      const monthLast = addMonths(asOfDay, -m + 1) - 1;
      const firstDay = Math.max(monthFirst, start);
      const lastDay = Math.min(monthLast, end);
      const weekdays = countWeekdays(firstDay, lastDay);
      if (weekdays === 0) continue;
      candidates.push({
        block: { projectIndex, month: isoDay(monthFirst).slice(0, 7), firstDay, lastDay, invoiceId: null },
        weight: weekdays * project.teamConsultantIds.length,
      });
    }
  });
  if (scale > 0 && candidates.length === 0) throw new Error('no project has working days in the time window');

  const totalWeight = candidates.reduce((sum, c) => sum + c.weight, 0);
  const counts = candidates.map((c) => Math.floor((scale * c.weight) / totalWeight));
  let rest = scale - counts.reduce((a, b) => a + b, 0);
  const byRemainder = candidates
    .map((c, i) => ({ i, remainder: (scale * c.weight) % totalWeight }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (rest-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }

  const blocks: TimeBlock[] = [];
  let nextN = 1;
  candidates.forEach((c, i) => {
    const count = counts[i] ?? 0;
    if (count === 0) return;
    blocks.push({ ...c.block, count, firstN: nextN });
    nextN += count;
  });
  return blocks;
}

export function countWeekdays(firstDay: number, lastDay: number): number {
  let count = 0;
  for (let day = firstDay; day <= lastDay; day++) if (isWeekday(day)) count++;
  return count;
}

/** Builds the function that produces one block's entries; each block has its own random stream. */
export function blockEntryGenerator(options: {
  seed: number;
  asOfDay: number;
  projects: readonly Project[];
  rateCards: readonly RateCardLine[];
  consultants: readonly Consultant[];
}): (block: TimeBlock) => TimeEntry[] {
  const consultantsById = new Map(options.consultants.map((c) => [c.id, c]));
  const ratesByProject = new Map<string, Map<Role['id'], Minor>>();
  for (const line of options.rateCards) {
    const rates = ratesByProject.get(line.projectId) ?? new Map<Role['id'], Minor>();
    rates.set(line.roleId, parseMinor(line.rate));
    ratesByProject.set(line.projectId, rates);
  }

  return (block) => {
    const project = options.projects[block.projectIndex];
    if (!project) throw new RangeError(`no project at index ${block.projectIndex}`);
    const random = createRandom(options.seed, 'time', project.n, block.month);
    const team = project.teamConsultantIds.map((id) => {
      const consultant = consultantsById.get(id);
      if (!consultant) throw new Error(`unknown consultant ${id}`);
      return consultant;
    });
    const rates = ratesByProject.get(project.id);
    const weekdays: number[] = [];
    for (let day = block.firstDay; day <= block.lastDay; day++) if (isWeekday(day)) weekdays.push(day);
    const billable = project.billingModel === 'time_and_materials';

    const entries: TimeEntry[] = new Array<TimeEntry>(block.count);
    for (let i = 0; i < block.count; i++) {
      const day = weekdays[Math.floor((i * weekdays.length) / block.count)]!;
      const consultant = random.pick(team);
      const quarters = random.weighted(QUARTERS);
      const rate = rates?.get(consultant.roleId);
      const n = block.firstN + i;
      entries[i] = {
        id: firmId('timeEntry', n),
        n,
        projectId: project.id,
        consultantId: consultant.id,
        roleId: consultant.roleId,
        date: isoDay(day),
        hours: HOURS_TEXT[quarters]!,
        rate: rate === undefined ? null : formatMinor(rate),
        amount: rate === undefined ? null : formatMinor(quarterHoursAmount(quarters, rate)),
        currency: project.currency,
        billable,
        status: 'approved',
        approvedDate: isoDay(Math.min(options.asOfDay, day + random.int(1, 4))),
        invoiceId: block.invoiceId,
        memo: random.pick(MEMOS),
      };
    }
    return entries;
  };
}

/** Quarter hours back from an entry's hours text. */
export function entryQuarters(entry: TimeEntry): number {
  return parseMinor(entry.hours) / 25;
}
