import { describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, auditFilters, auditListInput, knownAuditFilters, loadAuditFilters } from './audit-list-input';

describe('auditListInput', () => {
  it('asks for the first page of people’s actions when the URL has no filters', () => {
    expect(auditListInput(loadAuditFilters(''))).toEqual({ limit: AUDIT_PAGE_SIZE, source: 'people' });
  });

  it('asks for the sync’s writes, or everything, when the URL says so', () => {
    expect(auditListInput(loadAuditFilters('?source=system'))).toEqual({ limit: AUDIT_PAGE_SIZE, source: 'system' });
    expect(auditListInput(loadAuditFilters('?source=all'))).toEqual({ limit: AUDIT_PAGE_SIZE, source: 'all' });
  });

  it('carries every filter the URL sets, and only those', () => {
    const url =
      '?actor=ada%40example.com&action=user.created&targetType=user&targetId=42&from=2025-01-01&to=2025-01-31';
    expect(auditListInput(loadAuditFilters(url))).toEqual({
      limit: AUDIT_PAGE_SIZE,
      actor: 'ada@example.com',
      action: 'user.created',
      targetType: 'user',
      targetId: '42',
      from: '2025-01-01',
      to: '2025-01-31',
      source: 'people',
    });
  });

  it('leaves out empty parameters and ones the page does not filter on', () => {
    expect(auditListInput(loadAuditFilters('?actor=&targetId=&action=auth.signed_in&limit=500&cursor=9'))).toEqual({
      limit: AUDIT_PAGE_SIZE,
      action: 'auth.signed_in',
      source: 'people',
    });
  });

  it('reads the server page’s search params, the export request and the URL alike', () => {
    const fromPage = loadAuditFilters({ action: ['user.disabled', 'user.created'], actor: 'ada' });
    const fromRequest = loadAuditFilters(
      new Request('http://console.test/api/audit/export?action=user.disabled&actor=ada'),
    );
    expect(fromPage).toEqual(fromRequest);
    expect(auditFilters(fromRequest)).toEqual({ action: 'user.disabled', actor: 'ada', source: 'people' });
  });
});

describe('a bad filter value in the URL', () => {
  it('is reset with a notice naming it, and the rest of the filters still apply', () => {
    const values = loadAuditFilters('?from=2025-13-45&to=yesterday&source=robots&action=user.created');
    expect(auditListInput(values)).toEqual({ limit: AUDIT_PAGE_SIZE, action: 'user.created', source: 'people' });
    expect(knownAuditFilters(values).notice).toBe(
      'The link asked for source “robots” and from date “2025-13-45” and to date “yesterday”, which is not a value this page knows; that filter was reset.',
    );
  });

  it('leaves a good URL without a notice', () => {
    expect(knownAuditFilters(loadAuditFilters('?from=2025-01-01&source=all&actor=ada')).notice).toBeNull();
  });

  it('resets a text longer than the server takes', () => {
    expect(auditListInput(loadAuditFilters(`?actor=${'a'.repeat(201)}`))).toEqual({
      limit: AUDIT_PAGE_SIZE,
      source: 'people',
    });
  });
});
