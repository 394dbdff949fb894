import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from './salesforce-error';
import { compileSoql } from './soql-compiler';

function failure(soql: string): { errorCode: string; message: string } {
  try {
    compileSoql(soql, { schema: 'sandbox_salesforce' });
  } catch (error) {
    if (error instanceof SalesforceApiError && error.errors[0]) return error.errors[0];
    throw error;
  }
  throw new Error(`expected ${soql} to be refused`);
}

describe('SOQL compiler', () => {
  it('compiles the supported subset', () => {
    const compiled = compileSoql(
      "select id, name, account.name from opportunity where (Amount > 100 or StageName = 'Closed Won') and AccountId in ('0010g00001Z54O9') order by CloseDate desc nulls last limit 10 offset 5",
      { schema: 'sandbox_salesforce' },
    );
    expect(compiled.definition.name).toBe('Opportunity');
    expect(compiled.items.map((i) => (i.kind === 'field' ? i.field.name : i.name))).toEqual(['Id', 'Name', 'Account']);
    expect(compiled.params).toContainEqual(['0010g00001Z54O9AAJ']); // 15-character ids widened to 18
    expect(compiled.limit).toBe(10);
    expect(compiled.offset).toBe(5);
    expect(compiled.orderBy).toContain('DESC NULLS LAST');
    expect(compileSoql('SELECT COUNT() FROM Account', { schema: 's' }).countOnly).toBe(true);
  });

  it('refuses syntax errors and unsupported constructs with MALFORMED_QUERY', () => {
    expect(failure('SELECT FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining("unexpected token: 'FROM'"),
    });
    expect(failure('SELECT Id FROM Account WHERE Name = "x"').errorCode).toBe('MALFORMED_QUERY');
    expect(failure("SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Industry = 'c'")).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('mixing AND and OR'),
    });
    expect(failure('SELECT Name, COUNT(Id) FROM Account GROUP BY Name').message).toContain('GROUP BY');
    expect(failure('SELECT Id, (SELECT Id FROM Opportunities) FROM Account').message).toContain('subqueries');
    expect(failure('SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2026').message).toContain(
      'CALENDAR_YEAR',
    );
    expect(failure('SELECT Id FROM Opportunity WHERE CloseDate = THIS_FISCAL_QUARTER').message).toContain(
      'THIS_FISCAL_QUARTER',
    );
    expect(failure('SELECT Id, Name, Name FROM Account').message).toContain('duplicate field selected: Name');
  });

  it('names unknown fields, relationships and objects as Salesforce does', () => {
    const field = failure('SELECT Id, Foo FROM Account');
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("No such column 'Foo' on entity 'Account'");
    expect(field.message).toContain('ERROR at Row:1:Column:12');
    expect(failure('SELECT Owner.Name FROM Opportunity')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Owner'"),
    });
    expect(failure('SELECT Id FROM Contact')).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Contact' is not supported"),
    });
  });

  it('type-checks filter values', () => {
    expect(failure('SELECT Id FROM Opportunity WHERE CloseDate > 2026-01-01T00:00:00Z')).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining("field 'CloseDate' must be of type date"),
    });
    expect(failure("SELECT Id FROM Opportunity WHERE Amount = '5'").errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(failure("SELECT Id FROM Account WHERE Id = 'nope'").message).toBe('invalid ID field: nope');
    expect(failure('SELECT Id FROM Account LIMIT 10 OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });
});
