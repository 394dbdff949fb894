import { describe, expect, it } from 'vitest';
import { asFormArray, parseFormParams } from './form-params';
import { ParamReader } from './param-reader';
import { StripeApiError } from './stripe-error';

describe('form parameters', () => {
  it('nests brackets, indexes arrays and decodes values', () => {
    const params = parseFormParams(
      'customer=cus_1&metadata[deal]=OPP%2D7&metadata[note]=a+b&expand[0]=customer&expand[1]=invoice&period[start]=1&period[end]=2&tags[]=x&tags[]=y',
    );
    expect(params).toEqual({
      customer: 'cus_1',
      metadata: { deal: 'OPP-7', note: 'a b' },
      expand: { '0': 'customer', '1': 'invoice' },
      period: { start: '1', end: '2' },
      tags: { '0': 'x', '1': 'y' },
    });
    expect(asFormArray(params.expand ?? '')).toEqual(['customer', 'invoice']);
    expect(asFormArray(params.metadata ?? '')).toBeNull();
  });

  it('keeps digit keys of a hash as keys', () => {
    const params = parseFormParams('metadata[2024]=yes');
    expect(new ParamReader(params).metadata()).toEqual({ clear: false, entries: { '2024': 'yes' } });
  });

  it('reads empty values as unsets where Stripe allows them', () => {
    const reader = new ParamReader(parseFormParams('metadata=&description=&email=&metadata2[k]='));
    expect(reader.metadata()).toEqual({ clear: true, entries: {} });
    expect(reader.metadata('metadata2')).toEqual({ clear: false, entries: { k: null } });
    expect(reader.string('email', { unsettable: true })).toBeNull();
    expect(() => reader.string('description')).toThrow(/cannot be unset/);
  });

  it('refuses a key given both as a value and as a hash', () => {
    expect(() => parseFormParams('a=1&a[b]=2')).toThrow(StripeApiError);
  });

  it('validates integers, booleans, enums and unknown keys with Stripe’s messages', () => {
    const reader = new ParamReader(parseFormParams('limit=ten&flag=yes&method=mail&extra=1'));
    expect(() => reader.int('limit')).toThrow('Invalid integer: ten');
    expect(() => reader.bool('flag')).toThrow('Invalid boolean: yes');
    expect(() => reader.enum('method', ['charge_automatically', 'send_invoice'])).toThrow(
      'Invalid method: must be one of charge_automatically or send_invoice',
    );
    expect(() => reader.allow(['limit', 'flag', 'method'])).toThrow('Received unknown parameter: extra');
  });
});
