import { describe, expect, it } from 'vitest';
import { checkOwnership, DEFAULT_OWNERSHIP_RULES } from './ownership';

describe('ownership rules', () => {
  it('lets the system of record write and refuses the others, naming the owner’s team', () => {
    expect(
      checkOwnership(DEFAULT_OWNERSHIP_RULES, {
        objectType: 'Invoice',
        source: 'stripe',
        attributes: ['status', 'customerId'],
      }),
    ).toEqual({
      allowed: ['status'],
      conflicts: [{ attribute: 'customerId', owner: 'netsuite', team: 'finance' }],
    });
  });

  it('applies an attribute rule before the object’s "*" rule', () => {
    const fromCrm = checkOwnership(DEFAULT_OWNERSHIP_RULES, {
      objectType: 'Customer',
      source: 'salesforce',
      attributes: ['name', 'taxRegistration'],
    });
    expect(fromCrm.allowed).toEqual(['name']);
    expect(fromCrm.conflicts).toEqual([{ attribute: 'taxRegistration', owner: 'netsuite', team: 'finance' }]);
  });

  it('lets billing write the billing reference onto billed work, and nothing else of it', () => {
    for (const objectType of ['TimeEntry', 'Milestone', 'RetainerFee']) {
      expect(
        checkOwnership(DEFAULT_OWNERSHIP_RULES, {
          objectType,
          source: 'stripe',
          attributes: ['billedInvoice', 'amount'],
        }),
      ).toEqual({
        allowed: ['billedInvoice'],
        conflicts: [{ attribute: 'amount', owner: 'netsuite', team: 'operations' }],
      });
      expect(
        checkOwnership(DEFAULT_OWNERSHIP_RULES, { objectType, source: 'netsuite', attributes: ['billedInvoice'] })
          .conflicts,
      ).toEqual([{ attribute: 'billedInvoice', owner: 'stripe', team: 'finance' }]);
    }
  });

  it('refuses attributes of objects without any rule', () => {
    const result = checkOwnership(DEFAULT_OWNERSHIP_RULES, {
      objectType: 'Unknown',
      source: 'netsuite',
      attributes: ['x'],
    });
    expect(result.allowed).toEqual([]);
    expect(result.conflicts[0]?.team).toBe('integration');
  });
});
