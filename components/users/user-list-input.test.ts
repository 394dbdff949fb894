import { describe, expect, it } from 'vitest';
import type { LoaderInput } from 'nuqs/server';
import { loadUserFilters, userListInput } from './user-list-input';

const inputFor = (url: LoaderInput) => userListInput(loadUserFilters(url));

describe('userListInput', () => {
  it('lists every user when the URL has no filters', () => {
    expect(inputFor('')).toEqual({ search: undefined, status: 'all' });
  });

  it('searches for q and keeps a known status', () => {
    expect(inputFor('?q=ada&status=disabled')).toEqual({ search: 'ada', status: 'disabled' });
    expect(inputFor({ status: 'active' })).toEqual({ search: undefined, status: 'active' });
  });

  it('drops an empty search', () => {
    expect(inputFor('?q=')).toEqual({ search: undefined, status: 'all' });
  });

  it('reads an unknown status as all users', () => {
    expect(inputFor('?status=deleted')).toEqual({ search: undefined, status: 'all' });
    expect(inputFor({ status: 'Active' })).toEqual({ search: undefined, status: 'all' });
  });

  it('reads a repeated parameter by its first value, as the browser does', () => {
    expect(inputFor({ q: ['ada', 'bob'], status: ['disabled', 'active'] })).toEqual({
      search: 'ada',
      status: 'disabled',
    });
  });
});
