import type { Firm } from './firm-model';

/**
 * The whole firm as JSON lines in a fixed order — the form in which "same seed, same bytes" is
 * checked, and a convenient dump for inspecting a seed.
 */
export function* serializeFirm(firm: Firm): Generator<string> {
  yield JSON.stringify({ type: 'options', ...firm.options });
  const lists = {
    entity: firm.entities,
    practice: firm.practices,
    costCenter: firm.costCenters,
    role: firm.roles,
    consultant: firm.consultants,
    account: firm.accounts,
    opportunity: firm.opportunities,
    lineItem: firm.lineItems,
    project: firm.projects,
    rateCard: firm.rateCards,
    milestone: firm.milestones,
    retainer: firm.retainers,
    changeOrder: firm.changeOrders,
    invoice: firm.invoices,
    payment: firm.payments,
    plantedProblem: firm.plantedProblems,
  } as const;
  for (const [type, records] of Object.entries(lists)) {
    for (const record of records as readonly object[]) yield JSON.stringify({ type, ...record });
  }
  for (const entry of firm.timeEntries()) yield JSON.stringify({ type: 'timeEntry', ...entry });
}
