import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * How one kind of key (an account's login, a client IP) is throttled. Each attempt is counted
 * before the password is checked; from the `freeAttempts`-th on, the key is locked for
 * `baseMs · 2^(attempts − freeAttempts)`, capped at `maxMs`. A key is forgotten `forgetMs` after its
 * last attempt (or lock end, if later).
 */
export interface ThrottlePolicy {
  freeAttempts: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/**
 * Log-in throttling behind one small interface, in memory (one instance) or in Redis (shared by
 * every instance). Counting the attempt up front, atomically with the lock check, means a burst of
 * parallel guesses cannot all slip past the check before the first failure is recorded.
 */
export interface LoginThrottle {
  /**
   * Called before a password is checked. When no key is locked, counts the attempt against every
   * key and returns 0; otherwise counts nothing and returns the milliseconds until all are unlocked.
   */
  attempt(keys: ThrottleKey[], now?: number): Promise<number>;
  /** After a correct password: these keys are forgotten (the account's counter starts over). */
  reset(keys: string[]): Promise<void>;
  /** After a correct password: these keys get the attempt back (an IP is not punished for successes). */
  refund(keys: string[]): Promise<void>;
}

export function backoffMs(policy: ThrottlePolicy, attempts: number): number {
  if (attempts < policy.freeAttempts) return 0;
  const exponent = Math.min(attempts - policy.freeAttempts, 30);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/**
 * Keys carry no personal data: the login (an email, often) and the IP are hashed, so neither
 * memory dumps nor a shared Redis hold a list of who tried to log in.
 */
export function throttleKey(kind: 'account' | 'ip', value: string): string {
  return `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 32)}`;
}

interface Entry {
  attempts: number;
  lockedUntil: number;
  forgetAt: number;
}

/** One process's memory: right for a single instance and for tests without Redis. */
export class MemoryLoginThrottle implements LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  async attempt(keys: ThrottleKey[], now = Date.now()): Promise<number> {
    let wait = 0;
    for (const { key } of keys) {
      const entry = this.#live(key, now);
      if (entry && entry.lockedUntil > now) wait = Math.max(wait, entry.lockedUntil - now);
    }
    if (wait > 0) return wait;
    for (const { key, policy } of keys) {
      const entry = this.#live(key, now) ?? { attempts: 0, lockedUntil: 0, forgetAt: 0 };
      entry.attempts += 1;
      const lock = backoffMs(policy, entry.attempts);
      if (lock > 0) entry.lockedUntil = now + lock;
      entry.forgetAt = Math.max(now + policy.forgetMs, entry.lockedUntil);
      this.#entries.delete(key); // re-insert: the Map's order is then oldest-touched first
      this.#entries.set(key, entry);
    }
    this.#evict(now);
    return 0;
  }

  async reset(keys: string[]): Promise<void> {
    for (const key of keys) this.#entries.delete(key);
  }

  async refund(keys: string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry && entry.attempts > 0) entry.attempts -= 1;
    }
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.forgetAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  // Bounded memory under a spray of random logins: drop what has expired, then the oldest.
  #evict(now: number): void {
    if (this.#entries.size <= this.#maxEntries) return;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries) break;
      if (entry.forgetAt <= now || entry.lockedUntil <= now) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}

// KEYS: the throttle keys. ARGV: now, then per key: freeAttempts, baseMs, maxMs, forgetMs.
// One script, so the lock check and the count are one atomic step across every instance.
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local locked = tonumber(redis.call('HGET', key, 'l') or '0')
  if locked > now and locked - now > wait then wait = locked - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  local free = tonumber(ARGV[base + 1])
  local baseMs = tonumber(ARGV[base + 2])
  local maxMs = tonumber(ARGV[base + 3])
  local forgetMs = tonumber(ARGV[base + 4])
  local attempts = redis.call('HINCRBY', key, 'n', 1)
  local locked = tonumber(redis.call('HGET', key, 'l') or '0')
  if attempts >= free then
    local lock = math.floor(math.min(maxMs, baseMs * 2 ^ math.min(attempts - free, 30)))
    locked = now + lock
    redis.call('HSET', key, 'l', locked)
  end
  redis.call('PEXPIRE', key, math.max(forgetMs, locked - now))
end
return 0
`;

const REFUND_SCRIPT = `
for i, key in ipairs(KEYS) do
  local attempts = tonumber(redis.call('HGET', key, 'n') or '0')
  if attempts > 0 then redis.call('HINCRBY', key, 'n', -1) end
end
return 0
`;

/**
 * Shared by every instance through Redis, so the limits hold however many instances run. While
 * Redis is unreachable it falls back to this instance's memory: still a limit, never an outage.
 */
export class RedisLoginThrottle implements LoginThrottle {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #fallback: LoginThrottle;
  readonly #onError: (error: unknown) => void;

  constructor(redis: Redis, options: { prefix: string; fallback?: LoginThrottle; onError?: (error: unknown) => void }) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#fallback = options.fallback ?? new MemoryLoginThrottle();
    this.#onError = options.onError ?? (() => {});
  }

  async attempt(keys: ThrottleKey[], now = Date.now()): Promise<number> {
    const args = keys.flatMap(({ policy }) => [policy.freeAttempts, policy.baseMs, policy.maxMs, policy.forgetMs]);
    try {
      const names = keys.map((k) => this.#key(k.key));
      return Number(await this.#redis.eval(ATTEMPT_SCRIPT, keys.length, ...names, now, ...args));
    } catch (error) {
      this.#onError(error);
      return this.#fallback.attempt(keys, now);
    }
  }

  async reset(keys: string[]): Promise<void> {
    if (!keys.length) return;
    try {
      await this.#redis.del(...keys.map((key) => this.#key(key)));
    } catch (error) {
      this.#onError(error);
    }
    await this.#fallback.reset(keys);
  }

  async refund(keys: string[]): Promise<void> {
    if (!keys.length) return;
    try {
      await this.#redis.eval(REFUND_SCRIPT, keys.length, ...keys.map((key) => this.#key(key)));
    } catch (error) {
      this.#onError(error);
      await this.#fallback.refund(keys);
    }
  }

  #key(key: string): string {
    return `${this.#prefix}${key}`;
  }
}

// A key's failures are forgotten an hour after its last attempt (or the end of its lock).
const FORGET_AFTER_MS = 3_600_000;

/**
 * The keys one log-in attempt counts against: the login as typed (normalized), whether or not an
 * account has it, so throttling answers the same for real and made-up accounts; and the client IP,
 * with a larger budget (many people share an IP behind a NAT).
 */
export function loginThrottleKeys(
  settings: {
    accountFreeAttempts: number;
    ipFreeAttempts: number;
    backoffBaseSeconds: number;
    backoffMaxSeconds: number;
  },
  login: string,
  ip: string | undefined,
): { account: ThrottleKey; ip: ThrottleKey | undefined } {
  const policy = (freeAttempts: number): ThrottlePolicy => ({
    freeAttempts,
    baseMs: settings.backoffBaseSeconds * 1000,
    maxMs: settings.backoffMaxSeconds * 1000,
    forgetMs: FORGET_AFTER_MS,
  });
  return {
    account: {
      key: throttleKey('account', login.trim().normalize('NFKC').toLowerCase()),
      policy: policy(settings.accountFreeAttempts),
    },
    ip: ip === undefined ? undefined : { key: throttleKey('ip', ip), policy: policy(settings.ipFreeAttempts) },
  };
}
