import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PASSWORD_MIN_LENGTH } from './password';

// Long enough for any passphrase, short enough that hashing one is never a way to load the server.
export const PASSWORD_MAX_LENGTH = 128;

// The 10,000 most common passwords of the breach corpora zxcvbn ranks (from the MIT-licensed npm
// package @zxcvbn-ts/language-common 4.1.3, in its order), one a line.
const LIST_FILE = path.join(process.cwd(), 'server/auth/common-passwords.txt');

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  return common;
}

/**
 * Whether a password is a common one: listed itself, a listed one with digits or symbols added
 * at the end ("Password2024!"), or a listed one repeated ("qwertyqwerty").
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  const core = lower.replace(/[^a-z]+$/, '');
  const repeated = /^(.+?)\1+$/.exec(lower)?.[1];
  return list.has(lower) || (core.length >= 4 && list.has(core)) || (repeated !== undefined && list.has(repeated));
}

/** Why a new password is refused, in words for the person choosing it; null when it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) {
    return 'This password is one of the most common ones, which attackers try first. Choose another.';
  }
  return null;
}
