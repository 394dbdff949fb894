import { describe, expect, it } from 'vitest';
import { csvLine } from './csv';

describe('csvLine', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3])).toBe('a,"b,c","say ""hi""","two\nlines",,3\r\n');
  });
  it('defuses spreadsheet formulas', () => {
    expect(csvLine(['=SUM(A1)', '+1', '-2', '@x'])).toBe("'=SUM(A1),'+1,'-2,'@x\r\n");
  });
});
