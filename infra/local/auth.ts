import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role } from '#domain/roles';

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

export const issueLocalToken = async (
  keyFile: string,
  claims: { email: string; roles: Role[] },
  ttlSeconds = 12 * 60 * 60,
): Promise<string> => {
  const { privateJwk } = await loadOrCreateKeys(keyFile);
  return new SignJWT({ email: claims.email, 'cognito:groups': claims.roles, token_use: 'id' })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setSubject(claims.email)
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
      const { payload } = await jwtVerify(token, key, { issuer: localIssuer, audience: localAudience });
      return payload;
    } catch {
      return undefined;
    }
  };
};
