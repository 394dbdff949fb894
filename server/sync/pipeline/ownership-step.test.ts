import { describe, expect, it } from 'vitest';
import { DEFAULT_OWNERSHIP_RULES } from '@/server/domain/ownership';
import { OwnershipStep } from './ownership-step';

const step = new OwnershipStep({
  version: 7,
  rules: [...DEFAULT_OWNERSHIP_RULES, { objectType: 'Customer', attribute: 'email', owner: 'stripe', team: 'finance' }],
});

describe('ownership of a write', () => {
  it('writes what the target does not own and leaves the target’s own attributes alone', () => {
    const written = step.writable(
      { objectType: 'Customer', target: 'stripe', attributes: { name: 'name', email: 'email', metadata: null } },
      { name: 'Acme Ltd', email: 'ap@acme.example', metadata: { netsuite_customer_id: '42' } },
    );
    expect(written).toEqual({ name: 'Acme Ltd', metadata: { netsuite_customer_id: '42' } });
  });

  it('keeps the ERP’s tax registration and the ERP’s amount paid where the rules give them to the ERP', () => {
    expect(
      step.writable(
        {
          objectType: 'Customer',
          target: 'netsuite',
          attributes: { companyName: 'name', vatRegNumber: 'taxRegistration' },
        },
        { companyName: 'Acme Ltd', vatRegNumber: 'GB1' },
      ),
    ).toEqual({ companyName: 'Acme Ltd' });
    const erpOwnsPayments = new OwnershipStep({
      version: 8,
      rules: DEFAULT_OWNERSHIP_RULES.map((r) =>
        r.objectType === 'Invoice' && r.attribute === 'amountPaid' ? { ...r, owner: 'netsuite' as const } : r,
      ),
    });
    const attributes = { status: 'status', amountRemaining: 'amountPaid' };
    const fields = { status: { id: 'B' }, amountRemaining: '0' };
    expect(erpOwnsPayments.writable({ objectType: 'Invoice', target: 'netsuite', attributes }, fields)).toEqual({
      status: { id: 'B' },
    });
    expect(step.writable({ objectType: 'Invoice', target: 'netsuite', attributes }, fields)).toEqual(fields);
  });

  it('writes no attribute that no rule names, and refuses a field nobody declared', () => {
    expect(
      step.writable({ objectType: 'Unruled', target: 'netsuite', attributes: { a: 'a', key: null } }, { a: 1, key: 2 }),
    ).toEqual({ key: 2 });
    expect(() =>
      step.writable(
        { objectType: 'Customer', target: 'stripe', attributes: { name: 'name' } },
        { name: 'x', phone: '1' },
      ),
    ).toThrow(/phone/);
  });

  it('names the attributes a source may not write', () => {
    expect(step.refused('TimeEntry', 'stripe', ['billedInvoice', 'hours'])).toEqual([
      { attribute: 'hours', owner: 'netsuite', team: 'operations' },
    ]);
  });
});
