/**
 * The local stand-in for API Gateway's JWT authorizer: verifies the dev-login token and hands the
 * handler the same claims a Cognito ID token would carry. The signing secret lives in the data
 * folder, so a restart does not sign everyone out.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jwtVerify } from 'jose';
import { DEV_TOKEN_ISSUER } from '../functions/handlers/http/dev-login.ts';

export function localAuthSecret(file: string | undefined): string {
  if (!file) return randomBytes(32).toString('base64url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Claims of a valid `Authorization: Bearer <token>`, or undefined (API Gateway would answer 401). */
export async function verifyBearer(header: string | undefined, secret: string): Promise<Record<string, unknown> | undefined> {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (!token) return undefined;
  try {
    // As Cognito's tokens always do, a token must say when it was made and when it ends.
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: DEV_TOKEN_ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'cognito:username', 'token_use'],
    });
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
