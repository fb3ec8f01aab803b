import { errors, type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { JWT_ALGORITHM, type SigningKeys } from './signing-keys.ts';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

const AUDIENCE = 'groundwork-api';

/** A short-lived access JWT naming the user (`sub`) and the session it belongs to (`sid`). */
export async function signAccessToken(
  keys: SigningKeys,
  claims: AccessClaims,
  options: { issuer: string; ttlSeconds: number },
): Promise<string> {
  const { kid, key } = await keys.current();
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(options.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds}s`)
    .sign(key);
}

export interface VerifiedClaims extends AccessClaims {
  /** ms since the epoch */
  expiresAt: number;
}

// A verified token is remembered at most this long (and never past its expiry).
const REMEMBER_VERIFIED_MS = 60_000;

/**
 * Access tokens this instance has already verified. A client sends the same token with every
 * request, and checking its signature is the costliest step of authenticating one; a token is
 * only remembered after passing every check, and never past its `exp`. The session it names is
 * still checked on every request (see the guard), so log-out and revocation are unaffected.
 */
export class VerifiedTokens {
  readonly #cache = new LRUCache<string, VerifiedClaims>({ max: 20_000 });

  async verify(keys: SigningKeys, token: string, issuer: string): Promise<VerifiedClaims | null> {
    const known = this.#cache.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    const claims = await verifyAccessToken(keys, token, issuer);
    if (claims) {
      const ttl = Math.min(REMEMBER_VERIFIED_MS, claims.expiresAt - Date.now());
      if (ttl > 0) this.#cache.set(token, claims, { ttl });
    }
    return claims;
  }
}

/**
 * Verifies signature, algorithm (only ours: `alg: none`, HS256 and any other are refused before
 * a key is looked at), issuer, audience and expiry. Returns null for any invalid token; the
 * reason is deliberately not passed on to the caller.
 */
export async function verifyAccessToken(
  keys: SigningKeys,
  token: string,
  issuer: string,
): Promise<VerifiedClaims | null> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        const key = header.kid ? await keys.verificationKey(header.kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      { algorithms: [JWT_ALGORITHM], issuer, audience: AUDIENCE, requiredClaims: ['sub', 'sid', 'exp'] },
    );
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || payload.exp === undefined) return null;
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
