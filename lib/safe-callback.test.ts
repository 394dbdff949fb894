import { describe, expect, it } from 'vitest';
import { safeCallback } from './safe-callback';

describe('the page after sign-in', () => {
  it.each(['/runs', '/audit?actor=finance%40example.com#top', '/exceptions/42'])('keeps a console path: %s', (path) => {
    expect(safeCallback(path)).toBe(path);
  });

  it.each([
    undefined,
    '',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    ' //evil.example',
    'javascript:alert(1)',
    '/%09/evil.example',
  ])('sends anything that leaves the console to the dashboards: %j', (target) => {
    const result = safeCallback(target);
    expect(new URL(result, 'https://console.example').origin).toBe('https://console.example');
    expect(result.startsWith('/') && !result.startsWith('//') && !result.startsWith('/\\')).toBe(true);
  });
});
