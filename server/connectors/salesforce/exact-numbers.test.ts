import { describe, expect, it } from 'vitest';
import { quoteJsonNumbers } from './exact-numbers';

describe('quoteJsonNumbers', () => {
  it('turns record numbers into exact plain decimal strings', () => {
    const body =
      '{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Opportunity"},"Amount":98765432109876.54,"Probability":100.0},{"Amount":1.5E7,"Quantity":-0.25,"Score":0}]}';
    expect(JSON.parse(quoteJsonNumbers(body))).toEqual({
      totalSize: 2,
      done: true,
      records: [
        { attributes: { type: 'Opportunity' }, Amount: '98765432109876.54', Probability: '100' },
        { Amount: '15000000', Quantity: '-0.25', Score: '0' },
      ],
    });
  });

  it('quotes numbers in a retrieved record and in parent records', () => {
    const body = '{"Id":"006","Amount":2500.5,"Account":{"Revenue":1e-7,"totalSize":3}}';
    expect(JSON.parse(quoteJsonNumbers(body))).toEqual({
      Id: '006',
      Amount: '2500.5',
      Account: { Revenue: '0.0000001', totalSize: '3' },
    });
  });

  it('leaves strings alone, escapes included', () => {
    const body = '{"Name":"Deal 42 \\"x\\": 7, [8]","Description__c":"a\\\\","Amount":5}';
    expect(JSON.parse(quoteJsonNumbers(body))).toEqual({
      Name: 'Deal 42 "x": 7, [8]',
      Description__c: 'a\\',
      Amount: '5',
    });
  });

  it('returns text without numbers unchanged', () => {
    const body = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
    expect(quoteJsonNumbers(body)).toBe(body);
    expect(quoteJsonNumbers('{"totalSize":0,"done":true,"records":[]}')).toBe(
      '{"totalSize":0,"done":true,"records":[]}',
    );
  });
});
