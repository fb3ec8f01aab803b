import { errors, type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
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

/**
 * Verifies signature, algorithm (only ours: `alg: none`, HS256 and any other are refused before
 * a key is looked at), issuer, audience and expiry. Returns null for any invalid token; the
 * reason is deliberately not passed on to the caller.
 */
export async function verifyAccessToken(
  keys: SigningKeys,
  token: string,
  issuer: string,
): Promise<AccessClaims | null> {
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
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
