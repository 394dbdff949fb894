import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, parseExactJson, stringifyExactJson } from './exact-json';

describe('exact JSON', () => {
  it('keeps numbers as their decimal text', () => {
    const parsed = parseExactJson('{"Amount": 1234567890123456.78, "n": [0.1, -2e3], "s": "a\\"b\\u00e9"}');
    expect(parsed).toEqual({
      Amount: new JsonNumber('1234567890123456.78'),
      n: [new JsonNumber('0.1'), new JsonNumber('-2e3')],
      s: 'a"bé',
    });
    expect(stringifyExactJson({ a: new JsonNumber('1234567890123456.78'), b: undefined, c: [null, true] })).toBe(
      '{"a":1234567890123456.78,"c":[null,true]}',
    );
  });

  it('reports where malformed JSON breaks', () => {
    try {
      parseExactJson('{\n  "Name": x}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).line).toBe(2);
      expect((error as JsonSyntaxError).column).toBe(11);
    }
    expect(() => parseExactJson('[1,]')).toThrow(JsonSyntaxError);
    expect(() => parseExactJson('{"a":1} x')).toThrow(JsonSyntaxError);
  });
});
