import { describe, expect, it } from 'vitest';
import { JsonNumber, parseExactJson, stringifyExactJson } from './exact-json';

describe('exact JSON', () => {
  it('keeps numbers as their decimal text both ways', () => {
    const parsed = parseExactJson(
      '{"rate": 12345678901234567.89, "hours": 0.1, "list": [1e2, -0], "ok": true, "n": null}',
    );
    expect(parsed).toEqual({
      rate: new JsonNumber('12345678901234567.89'),
      hours: new JsonNumber('0.1'),
      list: [new JsonNumber('1e2'), new JsonNumber('-0')],
      ok: true,
      n: null,
    });
    expect(stringifyExactJson(parsed)).toBe(
      '{"rate":12345678901234567.89,"hours":0.1,"list":[1e2,-0],"ok":true,"n":null}',
    );
  });

  it('decodes escapes and rejects malformed text', () => {
    expect(parseExactJson('"a\\u00e9\\n\\"b"')).toBe('aé\n"b');
    for (const bad of ['{"a":}', '[1,]', '{"a":1} x', '01', '"open', "{'a':1}"]) {
      expect(() => parseExactJson(bad), bad).toThrow(SyntaxError);
    }
  });
});
