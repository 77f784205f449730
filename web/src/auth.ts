/**
 * Who is signed in. Locally: POST /auth/dev-login {user} → a token, as any demo person. In AWS:
 * Cognito's hosted UI with the authorization code flow and PKCE; the ID token (its
 * `cognito:username` is the person's id in the org chart) is what API Gateway's JWT authorizer checks.
 */
import { config, type AuthConfig } from './config.ts';

export interface Session {
  readonly token: string;
  readonly personId: string;
  readonly name: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

const SESSION_KEY = 'bangong.session';
const PKCE_KEY = 'bangong.pkce';

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

function sessionFrom(token: string): Session {
  const claims = claimsOf(token);
  return {
    token,
    personId: String(claims['cognito:username'] ?? ''),
    name: String(claims.name ?? claims['cognito:username'] ?? claims.email ?? ''),
    expiresAt: Number(claims.exp ?? 0),
  };
}

/**
 * The signed-in person, if any. Whether the token is still good is the API's call (a 401 signs
 * out): a computer's clock can be wrong, the server's is the one that counts.
 */
export function currentSession(): Session | undefined {
  const raw = localStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token === 'string' && session.token) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  localStorage.removeItem(SESSION_KEY);
  return undefined;
}

function keep(token: string): Session {
  const session = sessionFrom(token);
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function forget(): void {
  localStorage.removeItem(SESSION_KEY);
}

/** Local only: sign in as a demo person. Throws the API's error message when refused. */
export async function devLogin(user: string): Promise<Session> {
  const response = await fetch(`${config().apiUrl}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (!response.ok || !body.token) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return keep(body.token);
}

type CognitoConfig = Extract<AuthConfig, { mode: 'cognito' }>;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const redirectUri = () => `${location.origin}/`;

/** Sends the browser to Cognito's hosted UI; it comes back to / with ?code=. */
export async function startCognitoLogin(auth: CognitoConfig, returnTo: string): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: (auth.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On return from the hosted UI: trades the code for tokens. Returns where the person was going. */
export async function finishCognitoLogin(auth: CognitoConfig): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', '/');
  if (!pending || pending.state !== params.get('state')) throw new Error('登录状态不符，请重新登录。The sign-in state does not match: sign in again.');
  const response = await fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: redirectUri(), code_verifier: pending.verifier }),
  });
  const tokens = (await response.json()) as { id_token?: string; error?: string };
  if (!response.ok || !tokens.id_token) throw new Error(`登录失败。Sign-in failed: ${tokens.error ?? response.status}`);
  keep(tokens.id_token);
  return pending.returnTo;
}

/** Signs out here and, in AWS, of the hosted UI too. */
export function signOut(): void {
  forget();
  const auth = config().auth;
  if (auth.mode === 'cognito') {
    const url = new URL('/logout', auth.domain);
    url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: redirectUri() }).toString();
    location.assign(url.toString());
  }
}
