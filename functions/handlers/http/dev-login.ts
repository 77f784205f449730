/**
 * POST /auth/dev-login {"user": "<person id>"} → {"token"}: the local runtime's stand-in for
 * Cognito, never deployed. The token carries the claims a Cognito ID token would, so handlers
 * see the same claims either way.
 */
import { SignJWT } from 'jose';
import * as z from 'zod/mini';
import { org, wire } from '../../adapters/deps.ts';
import { ValidationError } from '../../domain/errors.ts';
import { loadOrgChart } from '../../domain/org/org-service.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org });

export const DEV_TOKEN_ISSUER = 'bangong-local';

const Body = z.object({ user: z.string({ error: '请选择用户。Choose a user.' }).check(z.minLength(1, '请选择用户。Choose a user.')) });

export const handler = httpHandler({ auth: false, body: Body }, async ({ body }) => {
  const secret = process.env.LOCAL_AUTH_SECRET;
  if (!secret) throw new Error('LOCAL_AUTH_SECRET is not set: dev login exists only in the local runtime');
  const org = await loadOrgChart(deps);
  const person = org.person(body.user);
  if (!person || person.active === false) throw new ValidationError(`没有这个用户：${body.user}。Unknown user.`, 'user');
  // The claims of a Cognito ID token: the person is the account's username, which only an admin sets.
  const token = await new SignJWT({ 'cognito:username': person.id, token_use: 'id', name: person.name, 'cognito:groups': person.roles.includes('admin') ? ['admin'] : [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(person.id)
    .setIssuer(DEV_TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(secret));
  return { body: { token, person: { id: person.id, name: person.name, roles: person.roles } } };
});
