import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '#domain/roles';
import { stableId } from '#domain/stable-id';

/**
 * Local stand-in for Cognito: tokens signed with a key kept under the data folder. API Gateway's
 * JWT authorizer only trusts the Cognito pool's issuer, so AWS never accepts these tokens.
 */
export const localIssuer = 'https://salesflow.local/auth';
export const localAudience = 'salesflow-local';

interface KeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

const loadOrCreateKeys = async (file: string): Promise<KeyFile> => {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const keys: KeyFile = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
};

/**
 * A local person's `sub`: stable for an email, as Cognito's is for a user, so the directory seeded
 * from the process settings (infra/local/stack) and the tokens issued here name the same people.
 */
export const localSub = (email: string) => stableId('salesflow-local-person', email.toLowerCase());

export const issueLocalToken = async (
  keyFile: string,
  claims: { email: string; roles: Role[]; sub?: string; emailVerified?: boolean },
  ttlSeconds = 12 * 60 * 60,
): Promise<string> => {
  const { privateJwk } = await loadOrCreateKeys(keyFile);
  return new SignJWT({
    email: claims.email,
    email_verified: claims.emailVerified ?? true,
    'cognito:groups': claims.roles,
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setSubject(claims.sub ?? localSub(claims.email))
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(privateJwk, 'ES256'));
};

/** What API Gateway's JWT authorizer does: verify, then hand the claims to the route. */
export const localVerifier = async (keyFile: string) => {
  const { publicJwk } = await loadOrCreateKeys(keyFile);
  const key = await importJWK(publicJwk, 'ES256');
  return async (token: string): Promise<JWTPayload | undefined> => {
    try {
      // Cognito's tokens always expire: one without `exp` (or `sub`) is refused, as AWS would.
      const { payload } = await jwtVerify(token, key, { issuer: localIssuer, audience: localAudience, requiredClaims: ['exp', 'sub'] });
      return payload;
    } catch {
      return undefined;
    }
  };
};
