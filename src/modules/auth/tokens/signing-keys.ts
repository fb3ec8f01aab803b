import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';

export const JWT_ALGORITHM = 'EdDSA';

// A retired key keeps verifying for this long, which must exceed the longest access-token lifetime
// any module issues (the blog's RealWorld tokens live up to a day).
const VERIFY_GRACE_MS = 2 * 86_400_000;
// How often to re-read the table, to pick up a key another instance created.
const RELOAD_EVERY_MS = 5 * 60_000;
// An unknown `kid` triggers a re-read at most this often, so random kids cannot hammer the database.
const UNKNOWN_KID_RELOAD_MS = 10_000;

interface LoadedKey {
  kid: string;
  retireAt: number;
  expiresAt: number;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateJwk: JWK;
  privateKey?: CryptoKey;
}

/**
 * Asymmetric JWT signing keys, stored in the database so every instance signs and verifies with
 * the same set. The newest unretired key signs; a new one is generated when it retires; old
 * ones verify until their grace period ends. Public halves are published as a JWKS.
 */
export class SigningKeys {
  readonly #db: Db;
  readonly #rotationMs: number;
  #keys: LoadedKey[] = [];
  #loadedAt = 0;
  #loading: Promise<void> | undefined;

  constructor(db: Db, rotationDays: number) {
    this.#db = db;
    this.#rotationMs = rotationDays * 86_400_000;
  }

  /** The key to sign with now, rotating first if the current one has retired. */
  async current(): Promise<{ kid: string; key: CryptoKey }> {
    if (Date.now() - this.#loadedAt > RELOAD_EVERY_MS) await this.#reload();
    let active = this.#active();
    if (!active) {
      await this.#rotate();
      active = this.#active();
      if (!active) throw new Error('no signing key after rotation');
    }
    active.privateKey ??= (await importJWK(active.privateJwk, JWT_ALGORITHM)) as CryptoKey;
    return { kid: active.kid, key: active.privateKey };
  }

  /** The public key for a token's `kid`, or undefined when it is unknown or expired. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    let key = this.#find(kid);
    if (!key && Date.now() - this.#loadedAt > UNKNOWN_KID_RELOAD_MS) {
      await this.#reload();
      key = this.#find(kid);
    }
    return key?.publicKey;
  }

  /** Public keys that may still verify a token, for `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    if (Date.now() - this.#loadedAt > RELOAD_EVERY_MS) await this.#reload();
    const now = Date.now();
    return { keys: this.#keys.filter((k) => k.expiresAt > now).map((k) => k.publicJwk) };
  }

  #find(kid: string): LoadedKey | undefined {
    return this.#keys.find((k) => k.kid === kid && k.expiresAt > Date.now());
  }

  #active(): LoadedKey | undefined {
    const now = Date.now();
    return this.#keys.filter((k) => k.retireAt > now).sort((a, b) => b.retireAt - a.retireAt)[0];
  }

  #reload(): Promise<void> {
    // Concurrent callers share one read.
    this.#loading ??= this.#read().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #read(): Promise<void> {
    const rows = await this.#db
      .selectFrom('auth_signing_keys')
      .selectAll()
      .where('expires_at', '>', new Date())
      .execute();
    this.#keys = await Promise.all(
      rows.map(async (row) => {
        const publicJwk = row.public_jwk as JWK;
        return {
          kid: row.kid,
          retireAt: row.retire_at.getTime(),
          expiresAt: row.expires_at.getTime(),
          publicJwk,
          publicKey: (await importJWK(publicJwk, JWT_ALGORITHM)) as CryptoKey,
          privateJwk: row.private_jwk as JWK,
        };
      }),
    );
    this.#loadedAt = Date.now();
  }

  async #rotate(): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      // One instance generates; the others wait here and then find its key.
      await sql`select pg_advisory_xact_lock(hashtext('auth_signing_keys'))`.execute(trx);
      const existing = await trx
        .selectFrom('auth_signing_keys')
        .select('kid')
        .where('retire_at', '>', new Date())
        .executeTakeFirst();
      if (existing) return;
      const { publicKey, privateKey } = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519', extractable: true });
      const kid = randomUUID();
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: JWT_ALGORITHM, use: 'sig' };
      const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: JWT_ALGORITHM };
      const retireAt = Date.now() + this.#rotationMs;
      await trx
        .insertInto('auth_signing_keys')
        .values({
          kid,
          algorithm: JWT_ALGORITHM,
          public_jwk: JSON.stringify(publicJwk),
          private_jwk: JSON.stringify(privateJwk),
          retire_at: new Date(retireAt),
          expires_at: new Date(retireAt + VERIFY_GRACE_MS),
        })
        .execute();
    });
    await this.#read();
  }
}
