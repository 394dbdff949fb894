/**
 * Stripe's form encoding: `application/x-www-form-urlencoded` with bracket nesting —
 * `metadata[key]=v`, `expand[]=customer`, `expand[0]=customer`, `period[start]=…`. Used for
 * request bodies and for query strings alike. Written here rather than taken from a package
 * because the rules are Stripe's own: indexed segments stay objects until a reader asks for an
 * array (metadata keys may be digits), and a key used both as a value and as a hash is an error.
 */
import { parameterError } from './stripe-error';

export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export function parseFormParams(raw: string): FormObject {
  const root: FormObject = {};
  if (raw === '') return root;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    insert(root, splitKey(key), value, key);
  }
  return root;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw parameterError(`Invalid URL encoding: ${text}`, text);
  }
}

/** `a[b][]` → ['a', 'b', '']; a key without brackets is one segment. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^[\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) return [key];
    segments.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? segments : [key];
}

/** Containers are always objects; `[]` appends under the next free index, so `a[]=x` and
 *  `a[0]=x` read the same. */
function insert(container: FormObject, path: string[], value: string, fullKey: string): void {
  const [first, ...rest] = path;
  if (first === undefined) return;
  const head = first === '' ? String(Object.keys(container).length) : first;
  if (rest.length === 0) {
    if (typeof container[head] === 'object') throw mixed(fullKey, head);
    container[head] = value;
    return;
  }
  let child = container[head];
  if (child === undefined) {
    child = {};
    container[head] = child;
  } else if (typeof child === 'string') {
    throw mixed(fullKey, head);
  }
  insert(child, rest, value, fullKey);
}

function mixed(fullKey: string, param: string) {
  return parameterError(`Invalid hash: ${fullKey} is given both as a value and as a hash`, param);
}

/** The elements of an array parameter given as `a[]=…` or `a[0]=…&a[1]=…`; null if it is not one. */
export function asFormArray(value: FormValue): FormValue[] | null {
  if (typeof value === 'string') return null;
  const keys = Object.keys(value);
  if (!keys.every((k) => /^\d+$/.test(k))) return null;
  return keys
    .map((k) => [Number(k), value[k]] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v as FormValue);
}
