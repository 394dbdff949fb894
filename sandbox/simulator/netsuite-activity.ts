import type { Random } from '@/sandbox/firm/prng';
import type { NetSuiteClient } from './netsuite-client';

interface RecentTime {
  employee: string;
  customer: string;
  item?: string;
  rate?: string;
  isbillable?: string;
  subsidiary: string;
  custcol_sw_role?: string;
}

const MEMOS = ['Client workshop', 'Analysis and modelling', 'Solution design', 'Testing support', 'Status reporting'];

/**
 * A project manager approves a day of time: new time bills, already approved, for people who
 * booked time on the same project recently, at the rate they booked it at.
 */
export async function approveTime(client: NetSuiteClient, random: Random, today: string): Promise<string> {
  const template =
    (await randomApprovedTime(client, random, 'AND trandate >= SYSDATE - 45')) ??
    (await randomApprovedTime(client, random, ''));
  if (!template) return 'no approved time to follow';
  const count = random.int(1, 3);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const quarters = random.pick([16, 24, 28, 30, 32]);
    ids.push(
      await client.create('timebill', {
        employee: { id: template.employee },
        customer: { id: template.customer },
        ...(template.item ? { item: { id: template.item } } : {}),
        tranDate: today,
        hours: quarters / 4,
        // Money goes over as the decimal text SuiteQL gave it; the record service takes numeric strings.
        ...(template.rate ? { rate: template.rate } : {}),
        isBillable: template.isbillable === 'T',
        approvalStatus: { id: '2' },
        memo: random.pick(MEMOS),
        subsidiary: { id: template.subsidiary },
        ...(template.custcol_sw_role ? { custcol_sw_role: template.custcol_sw_role } : {}),
      }),
    );
  }
  return `approved time bills ${ids.join(', ')} on project ${template.customer}`;
}

/** One approved time bill picked at random (a one-row page at a random offset). */
async function randomApprovedTime(
  client: NetSuiteClient,
  random: Random,
  filter: string,
): Promise<RecentTime | undefined> {
  const query = `SELECT employee, customer, item, rate, isbillable, subsidiary, custcol_sw_role FROM timebill WHERE approvalstatus = '2' ${filter} ORDER BY id`;
  const first = await client.suiteql<RecentTime>(query, { limit: 1 });
  if (first.totalResults === 0) return undefined;
  // Paging reaches only the first 100,000 rows, as on NetSuite.
  const offset = random.int(0, Math.min(first.totalResults, 100_000) - 1);
  return (await client.suiteql<RecentTime>(query, { limit: 1, offset })).items[0];
}

/** A delivery lead signs off one open milestone. */
export async function completeMilestone(client: NetSuiteClient, random: Random, today: string): Promise<string> {
  const open = await client.suiteql<{ id: string; title: string }>(
    "SELECT id, title FROM projecttask WHERE ismilestone = 'T' AND status <> 'COMPLETE' ORDER BY enddate ASC",
    { limit: 50 },
  );
  if (open.items.length === 0) return 'no open milestone left';
  const milestone = random.pick(open.items);
  await client.update('projecttask', milestone.id, { status: { id: 'COMPLETE' }, custevent_sw_completed_date: today });
  return `completed milestone ${milestone.id} (${milestone.title})`;
}
