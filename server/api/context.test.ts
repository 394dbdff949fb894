import { describe, expect, it } from 'vitest';
import { contextFrom } from './context';

describe('request context', () => {
  it('makes its own request id, whatever the caller sends', () => {
    const sent: Record<string, string> = { 'x-request-id': 'chosen-by-the-caller' };
    const first = contextFrom((name) => sent[name] ?? null, null);
    const second = contextFrom((name) => sent[name] ?? null, null);
    expect(first.requestId).not.toBe('chosen-by-the-caller');
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
  });
});
