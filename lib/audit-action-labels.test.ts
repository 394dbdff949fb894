import { describe, expect, it } from 'vitest';
import { auditActionLabel } from './audit-action-labels';

describe('auditActionLabel', () => {
  it('says a known action in words', () => {
    expect(auditActionLabel('user.role_changed')).toBe('Changed role');
    expect(auditActionLabel('sync.created')).toBe('Created in a target system');
  });

  it('reads an action without a label of its own from its code', () => {
    expect(auditActionLabel('invoice.voided_late')).toBe('Invoice voided late');
  });
});
