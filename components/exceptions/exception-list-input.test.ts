import { describe, expect, it } from 'vitest';
import {
  EXCEPTION_FILTERS,
  exceptionFilterInput,
  exceptionListInput,
  type ExceptionFilterValues,
} from './exception-list-input';

const empty = Object.fromEntries(Object.keys(EXCEPTION_FILTERS).map((k) => [k, ''])) as ExceptionFilterValues;

describe('the queue URL → list input', () => {
  it('turns lists, flags and text into the list filters', () => {
    expect(
      exceptionListInput({
        ...empty,
        status: 'open,assigned',
        assignee: 'unassigned',
        code: 'TAX_CODE_MISSING',
        entity: 'UK',
        overdue: 'true',
        q: '  TB-12 ',
        sort: 'due',
      }),
    ).toEqual({
      status: ['open', 'assigned'],
      assignee: 'unassigned',
      code: ['TAX_CODE_MISSING'],
      legalEntityId: ['UK'],
      overdue: true,
      q: 'TB-12',
      sort: 'due',
      limit: 50,
    });
  });

  it('leaves out and reports the values it does not understand', () => {
    const { input, rejected } = exceptionFilterInput({
      ...empty,
      status: 'open,bogus',
      team: 'finance',
      run: 'not-a-run',
      sort: 'sideways',
    });
    expect(input).toEqual({ team: ['finance'] });
    expect(rejected).toEqual(['status', 'run', 'sort']);
  });
});
