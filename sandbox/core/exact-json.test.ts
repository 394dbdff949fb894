import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, parseExactJson, stringifyExactJson } from './exact-json';

describe('exact JSON', () => {
  it('keeps numbers as their decimal text both ways', () => {
    const parsed = parseExactJson(
      '{"rate": 12345678901234567.89, "hours": 0.1, "list": [1e2, -0, -2e3], "ok": true, "n": null}',
    );
    expect(parsed).toEqual({
      rate: new JsonNumber('12345678901234567.89'),
      hours: new JsonNumber('0.1'),
      list: [new JsonNumber('1e2'), new JsonNumber('-0'), new JsonNumber('-2e3')],
      ok: true,
      n: null,
    });
    expect(stringifyExactJson(parsed)).toBe(
      '{"rate":12345678901234567.89,"hours":0.1,"list":[1e2,-0,-2e3],"ok":true,"n":null}',
    );
  });

  it('leaves undefined members out, and writes undefined array items as null', () => {
    expect(stringifyExactJson({ a: new JsonNumber('1234567890123456.78'), b: undefined, c: [null, true] })).toBe(
      '{"a":1234567890123456.78,"c":[null,true]}',
    );
    expect(stringifyExactJson([1, undefined, 'x'])).toBe('[1,null,"x"]');
  });

  it('decodes escapes', () => {
    expect(parseExactJson('"a\\u00e9\\n\\"b"')).toBe('aé\n"b');
    expect(parseExactJson('{"s": "a\\"b\\u00e9"}')).toEqual({ s: 'a"bé' });
  });

  it('rejects malformed text as a SyntaxError', () => {
    for (const bad of ['{"a":}', '[1,]', '{"a":1} x', '01', '"open', "{'a':1}", 'tru', '"\\x"']) {
      expect(() => parseExactJson(bad), bad).toThrow(JsonSyntaxError);
      expect(() => parseExactJson(bad), bad).toThrow(SyntaxError);
    }
    expect(() => parseExactJson('['.repeat(100_000))).toThrow('nesting too deep');
  });

  it('reports where malformed JSON breaks, by offset and by line and column', () => {
    try {
      parseExactJson('{\n  "Name": x}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      const { reason, position, line, column, message } = error as JsonSyntaxError;
      expect({ reason, position, line, column, message }).toEqual({
        reason: 'expected a value',
        position: 12,
        line: 2,
        column: 11,
        message: 'expected a value at position 12',
      });
    }
  });
});
