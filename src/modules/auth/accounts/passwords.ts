import { availableParallelism } from 'node:os';
import { type Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import pLimit from 'p-limit';

// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. @node-rs/argon2 runs the hash on
// libuv's thread pool, so no request waits behind one on the event loop.
const ARGON2ID: Algorithm.Argon2id = 2;
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// A hash is pure CPU for tens of milliseconds. Left to libuv's four threads, a burst of log-ins
// takes every core, the event loop waits for CPU and every other request slows down with it (and
// each hash in flight holds its 19 MiB). So hashes run at most one per core, minus one core kept
// for the event loop; the rest queue. Log-in throughput is bound by the cores either way.
const hashing = pLimit(Math.max(1, availableParallelism() - 1));

/** How many hashes may run at once, how many are running, and how many wait for a turn. */
export function hashingLoad() {
  return { limit: hashing.concurrency, running: hashing.activeCount, queued: hashing.pendingCount };
}
const hash = (password: string) => hashing(() => argon2Hash(password, HASH_OPTIONS));
const verify = (storedHash: string, password: string) => hashing(() => argon2Verify(storedHash, password));

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// ~49k of the most common passwords (zxcvbn's list), checked case-insensitively.
const COMMON_PASSWORDS = new Set(
  (dictionary['passwords-common'] as string[])
    .filter((password) => password.length >= PASSWORD_MIN_LENGTH)
    .map((password) => password.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'));
}

// A real hash of a random password: verifying against it when no account matches makes a failed
// log-in take as long whether or not the account exists, so timing reveals nothing.
const DUMMY_HASH = hash(crypto.randomUUID());

/** Checks a password against a stored hash, or burns the same time when there is no hash. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  const normalized = password.normalize('NFKC');
  if (!storedHash) {
    await verify(await DUMMY_HASH, normalized);
    return false;
  }
  try {
    return await verify(storedHash, normalized);
  } catch {
    return false;
  }
}
