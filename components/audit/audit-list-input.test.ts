import { describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, auditFilters, auditListInput, loadAuditFilters } from './audit-list-input';

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

  it('passes a malformed date on for the server to refuse with a message', () => {
    expect(auditListInput(loadAuditFilters('?from=yesterday'))).toEqual({
      limit: AUDIT_PAGE_SIZE,
      from: 'yesterday',
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
