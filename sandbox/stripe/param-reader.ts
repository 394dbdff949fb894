/**
 * Typed reads of form parameters with Stripe's validation messages. Every value arrives as a
 * string; each endpoint declares the parameters it knows (the SDK's param names), and anything
 * else is `parameter_unknown`, as the real API answers.
 */
import { asFormArray, type FormObject, type FormValue } from './form-params';
import { parameterError, parameterMissing, parameterUnknown } from './stripe-error';
import { isSupportedCurrency } from './currencies';

export type Metadata = Record<string, string>;

/** `metadata=` clears every key; `metadata[k]=` removes one key. */
export interface MetadataUpdate {
  clear: boolean;
  entries: Record<string, string | null>;
}

const DECIMAL = /^-?\d+(\.\d{1,12})?$/;

export class ParamReader {
  constructor(
    private readonly values: FormObject,
    private readonly prefix = '',
  ) {}

  /** Rejects any parameter not in `known`. */
  allow(known: readonly string[]): this {
    for (const key of Object.keys(this.values)) {
      if (!known.includes(key)) throw parameterUnknown(this.name(key));
    }
    return this;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  /** Whether the parameter was sent as a hash (`key[sub]=…`) rather than a value. */
  isHash(key: string): boolean {
    const value = this.values[key];
    return value !== undefined && typeof value !== 'string';
  }

  /** The parameter's name as Stripe prints it in `param`, e.g. `address[city]`. */
  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  /** undefined when absent; null when sent empty and the field may be unset. */
  string(
    key: string,
    options: { unsettable?: boolean; maxLength?: number; required?: boolean } = {},
  ): string | null | undefined {
    const value = this.values[key];
    if (value === undefined) {
      if (options.required) throw parameterMissing(this.name(key));
      return undefined;
    }
    if (typeof value !== 'string') throw parameterError(`Invalid string: ${describe(value)}`, this.name(key));
    if (value === '') {
      if (options.unsettable) return null;
      throw emptyValue(this.name(key));
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      throw parameterError(
        `Invalid string: ${value.slice(0, 20)}...; must be at most ${options.maxLength} characters`,
        this.name(key),
      );
    }
    return value;
  }

  requiredString(key: string, options: { maxLength?: number } = {}): string {
    const value = this.string(key, { ...options, required: true });
    if (value === null || value === undefined) throw parameterMissing(this.name(key));
    return value;
  }

  int(key: string, options: { min?: number; max?: number; unsettable?: boolean } = {}): number | null | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (value === '' && options.unsettable) return null;
    if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw parameterError(`Invalid integer: ${describe(value)}`, this.name(key), 'parameter_invalid_integer');
    }
    const n = Number(value);
    if (options.min !== undefined && n < options.min) {
      throw parameterError(`This value must be greater than or equal to ${options.min}.`, this.name(key));
    }
    if (options.max !== undefined && n > options.max) {
      throw parameterError(`This value must be less than or equal to ${options.max}.`, this.name(key));
    }
    return n;
  }

  bool(key: string): boolean | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw parameterError(`Invalid boolean: ${describe(value)}`, this.name(key));
  }

  enum<T extends string>(
    key: string,
    allowed: readonly T[],
    options: { unsettable?: boolean } = {},
  ): T | null | undefined {
    const value = this.string(key, options);
    if (value === undefined || value === null) return value;
    if (!(allowed as readonly string[]).includes(value)) {
      throw parameterError(`Invalid ${this.name(key)}: must be one of ${listWords(allowed)}`, this.name(key));
    }
    return value as T;
  }

  /** A decimal in text (up to 12 places), kept as text so no float ever holds it. */
  decimal(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      throw parameterError(`Invalid decimal: ${describe(value)}`, this.name(key));
    }
    return value;
  }

  currency(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined || value === null) return undefined;
    const code = value.toLowerCase();
    if (!isSupportedCurrency(code)) {
      throw parameterError(
        `Invalid currency: ${code}. Stripe currently supports these currencies: see https://stripe.com/docs/currencies`,
        this.name(key),
      );
    }
    return code;
  }

  metadata(key = 'metadata'): MetadataUpdate | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (value === '') return { clear: true, entries: {} };
    if (typeof value === 'string') throw parameterError(`Invalid hash`, this.name(key));
    const entries: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw parameterError(`Invalid string: ${describe(v)}`, `${this.name(key)}[${k}]`);
      if (k.length > 40) {
        throw parameterError(
          `Metadata keys can have up to 40 characters; '${k}' has ${k.length}.`,
          `${this.name(key)}[${k}]`,
        );
      }
      if (v.length > 500) {
        throw parameterError(
          `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters. Invalid value: ${v.slice(0, 20)}...`,
          `${this.name(key)}[${k}]`,
        );
      }
      entries[k] = v === '' ? null : v;
    }
    return { clear: false, entries };
  }

  /** A nested hash; null when sent empty (unset). */
  object(
    key: string,
    known: readonly string[],
    options: { unsettable?: boolean } = {},
  ): ParamReader | null | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (value === '') {
      if (options.unsettable) return null;
      throw emptyValue(this.name(key));
    }
    if (typeof value === 'string') throw parameterError(`Invalid hash`, this.name(key));
    return new ParamReader(value, this.name(key)).allow(known);
  }

  stringArray(key: string, options: { unsettable?: boolean } = {}): string[] | null | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (value === '') {
      if (options.unsettable) return null;
      throw emptyValue(this.name(key));
    }
    const items = asFormArray(value);
    if (!items) throw parameterError(`Invalid array`, this.name(key));
    return items.map((item, i) => {
      if (typeof item !== 'string')
        throw parameterError(`Invalid string: ${describe(item)}`, `${this.name(key)}[${i}]`);
      return item;
    });
  }

  expand(): string[] {
    return this.stringArray('expand') ?? [];
  }
}

export function applyMetadata(current: Metadata, update: MetadataUpdate | undefined): Metadata {
  if (!update) return current;
  const next: Metadata = update.clear ? {} : { ...current };
  for (const [k, v] of Object.entries(update.entries)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50) {
    throw parameterError(
      'You can specify up to 50 keys, with key names up to 40 characters long and values up to 500 characters long.',
      'metadata',
    );
  }
  return next;
}

function emptyValue(param: string) {
  return parameterError(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
    'parameter_invalid_empty',
  );
}

function describe(value: FormValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function listWords(words: readonly string[]): string {
  if (words.length <= 2) return words.join(' or ');
  return `${words.slice(0, -1).join(', ')}, or ${words[words.length - 1]}`;
}
