import { describe, expect, it } from 'vitest';
import { diffRows } from './diff-rows';

interface Rule {
  objectType: string;
  attribute: string;
  owner: string;
  note?: string | null;
}
const key = (rule: Rule) => `${rule.objectType}.${rule.attribute}`;

describe('diffRows', () => {
  it('reports added, removed and changed rows with the fields that changed, ordered by key', () => {
    const before: Rule[] = [
      { objectType: 'Project', attribute: 'budget', owner: 'CRM' },
      { objectType: 'Account', attribute: '*', owner: 'CRM' },
      { objectType: 'Invoice', attribute: '*', owner: 'ERP', note: 'books' },
    ];
    const after: Rule[] = [
      { objectType: 'Project', attribute: 'budget', owner: 'ERP', note: 'finance plans it' },
      { objectType: 'Invoice', attribute: '*', owner: 'ERP', note: 'books' },
      { objectType: 'Subscription', attribute: '*', owner: 'BILLING' },
    ];
    expect(diffRows(before, after, key)).toEqual([
      { kind: 'removed', key: 'Account.*', before: before[1] },
      {
        kind: 'changed',
        key: 'Project.budget',
        before: before[0],
        after: after[0],
        fields: ['owner', 'note'],
      },
      { kind: 'added', key: 'Subscription.*', after: after[2] },
    ]);
  });

  it('finds nothing between equal lists, reading a missing field and null alike', () => {
    const rows: Rule[] = [{ objectType: 'Project', attribute: '*', owner: 'CRM' }];
    expect(diffRows(rows, [{ ...rows[0]!, note: null }], key)).toEqual([]);
    expect(diffRows([], [], key)).toEqual([]);
  });

  it('treats everything as added against an empty first version and removed against an empty next one', () => {
    const rows: Rule[] = [{ objectType: 'Project', attribute: '*', owner: 'CRM' }];
    expect(diffRows([], rows, key).map((c) => c.kind)).toEqual(['added']);
    expect(diffRows(rows, [], key).map((c) => c.kind)).toEqual(['removed']);
  });
});
