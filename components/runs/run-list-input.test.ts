import { describe, expect, it } from 'vitest';
import type { LoaderInput } from 'nuqs/server';
import { loadRunFilters, runListInput, RUNS_PAGE_SIZE } from './run-list-input';

const inputFor = (url: LoaderInput) => runListInput(loadRunFilters(url));

describe('runListInput', () => {
  it('asks for the first page of the runs that need attention when the URL has no filters', () => {
    expect(inputFor('')).toEqual({ limit: RUNS_PAGE_SIZE, attention: true });
  });

  it('asks for every run with view=all', () => {
    expect(inputFor('?view=all')).toEqual({ limit: RUNS_PAGE_SIZE });
  });

  it('maps each URL parameter to its list filter, entity to legalEntityId', () => {
    expect(inputFor('?routine=invoice_status&entity=US01&status=failed&trigger=manual&view=all')).toEqual({
      limit: RUNS_PAGE_SIZE,
      routine: 'invoice_status',
      legalEntityId: 'US01',
      status: 'failed',
      trigger: 'manual',
    });
  });

  it('leaves out empty parameters and ones the page does not filter on', () => {
    expect(inputFor('?routine=&status=running&limit=5&legalEntityId=US01')).toEqual({
      limit: RUNS_PAGE_SIZE,
      attention: true,
      status: 'running',
    });
  });

  it('reads a server page’s search params as the browser reads its URL: a repeated one by its first value', () => {
    expect(inputFor({ trigger: ['manual', 'schedule'], entity: undefined })).toEqual(inputFor('?trigger=manual'));
  });

  it('passes an unknown value on for the server to refuse with a message', () => {
    expect(inputFor('?status=exploded&view=all')).toEqual({ limit: RUNS_PAGE_SIZE, status: 'exploded' });
  });
});
