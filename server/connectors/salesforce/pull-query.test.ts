import { describe, expect, it } from 'vitest';
import { findField, findRelationship, SOBJECTS } from '@/sandbox/salesforce/sobject-definitions';
import {
  cursorAtSecond,
  decodePullCursor,
  encodePullCursor,
  incrementalSoql,
  PULL_FIELDS,
  SALESFORCE_OBJECT_TYPES,
  salesforceDateTimeToIso,
  toSecondIso,
} from './pull-query';

describe('pull query', () => {
  it('selects only fields the objects have, parents through their relationship names', () => {
    for (const type of SALESFORCE_OBJECT_TYPES) {
      const definition = SOBJECTS[type];
      for (const path of PULL_FIELDS[type]) {
        const [first, second] = path.split('.');
        if (second === undefined) {
          expect(findField(definition, first ?? ''), `${type}.${path}`).toBeDefined();
        } else {
          const reference = findRelationship(definition, first ?? '');
          expect(reference?.referenceTo, `${type}.${path}`).toBeDefined();
          const parent = SOBJECTS[reference?.referenceTo as keyof typeof SOBJECTS];
          expect(findField(parent, second), `${type}.${path}`).toBeDefined();
        }
      }
      expect(PULL_FIELDS[type]).toEqual(expect.arrayContaining(['Id', 'SystemModstamp']));
    }
    expect(PULL_FIELDS.Opportunity).toEqual(
      expect.arrayContaining(['Account.Name', 'Account.Legal_Entity__c', 'Account.Tax_Registration__c']),
    );
  });

  it('continues within the cursor’s second after its id, then after that second, up to a settled second', () => {
    expect(incrementalSoql('Account', null, '2026-01-31T10:05:00Z', 11)).toBe(
      `SELECT ${PULL_FIELDS.Account.join(', ')} FROM Account WHERE SystemModstamp < 2026-01-31T10:05:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 11`,
    );
    const soql = incrementalSoql(
      'Opportunity',
      { modstamp: '2026-01-31T10:00:00Z', id: '0065w0000000001AAA' },
      '2026-01-31T10:05:00Z',
      2001,
    );
    expect(soql).toContain(
      "WHERE SystemModstamp >= 2026-01-31T10:00:00Z AND (SystemModstamp > 2026-01-31T10:00:00Z OR Id > '0065w0000000001AAA') AND SystemModstamp < 2026-01-31T10:05:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 2001",
    );
  });

  it('reads records as they are now, the open second included, when no settled second is given', () => {
    expect(incrementalSoql('Account', null, null, 11)).toBe(
      `SELECT ${PULL_FIELDS.Account.join(', ')} FROM Account ORDER BY SystemModstamp ASC, Id ASC LIMIT 11`,
    );
    expect(incrementalSoql('Account', cursorAtSecond('2026-01-31T10:00:00Z'), null, 11)).toContain(
      "WHERE SystemModstamp >= 2026-01-31T10:00:00Z AND (SystemModstamp > 2026-01-31T10:00:00Z OR Id > '000000000000000') ORDER BY",
    );
  });

  it('round-trips cursors and refuses anything else', () => {
    const position = { modstamp: '2026-01-31T10:00:00Z', id: '0065w0000000001AAA' };
    expect(decodePullCursor(encodePullCursor(position))).toEqual(position);
    for (const bad of [
      '',
      '2026-01-31T10:00:00Z',
      '2026-01-31T10:00:00.000Z_0065w0000000001AAA',
      "2026-01-31T10:00:00Z_0065w0000000001AA'",
      'x_0065w0000000001AAA',
      '2026-13-45T10:00:00Z_0065w0000000001AAA',
    ]) {
      expect(decodePullCursor(bad), bad).toBeNull();
    }
  });

  it('reads Salesforce datetimes as ISO UTC and cuts them to the second for SOQL', () => {
    expect(salesforceDateTimeToIso('2026-01-31T10:00:00.000+0000')).toBe('2026-01-31T10:00:00.000Z');
    expect(salesforceDateTimeToIso('2026-01-31T12:30:00.000+0200')).toBe('2026-01-31T10:30:00.000Z');
    expect(salesforceDateTimeToIso('yesterday')).toBeNull();
    expect(salesforceDateTimeToIso(null)).toBeNull();
    expect(toSecondIso('2026-01-31T10:00:00.999Z')).toBe('2026-01-31T10:00:00Z');
  });
});

describe('pull filters', () => {
  it('adds equality conditions on field names, escaped, and refuses anything else', async () => {
    const { incrementalSoql: soql } = await import('./pull-query');
    expect(soql('Opportunity', null, '2026-01-01T00:00:00Z', 10, { Legal_Entity__c: "O'Brien\\UK" })).toContain(
      "Legal_Entity__c = 'O\\'Brien\\\\UK'",
    );
    expect(soql('Opportunity', null, '2026-01-01T00:00:00Z', 10, { Project_Id__c: null })).toContain(
      'Project_Id__c = null',
    );
    expect(() => soql('Opportunity', null, '2026-01-01T00:00:00Z', 10, { 'Name OR Id': 'x' })).toThrow(
      /not a Salesforce field name/,
    );
  });
});
