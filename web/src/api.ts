/**
 * The API as the page calls it: JSON with the signed-in person's token. Errors arrive as
 * `{ error: { code, message, field } }` (message "中文。English."); a 401 means signing in again,
 * whatever its body says: in AWS the HTTP API's JWT authorizer answers it itself, as
 * `{"message":"Unauthorized"}`, before any of our code runs.
 */
import { currentSession, forget } from './auth.ts';
import { config } from './config.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the API says the token is no longer good. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

/** What a 401 tells the person, in AWS (the authorizer's own body) and locally alike. */
export const SIGNED_OUT = '登录已失效，请重新登录。Your sign-in has expired: sign in again.';

export function url(path: string): string {
  return `${config().apiUrl}${path}`;
}

export function authHeader(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url(path), {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...authHeader(), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, '无法连接服务器，请检查网络后重试。Cannot reach the server: check the network and try again.', 'network');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.status === 401) {
    forget();
    onUnauthenticated();
    throw new ApiError(401, SIGNED_OUT, 'unauthenticated');
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string }; message?: string } | undefined) ?? {};
    throw new ApiError(response.status, error.error?.message ?? error.message ?? `HTTP ${response.status}`, error.error?.code, error.error?.field);
  }
  return parsed as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body ?? {}, headers);

/** A fresh Idempotency-Key: a retried POST gets the first answer instead of acting twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/** Downloads a file the API answers with (exports), keeping the token in the header, not the URL. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await fetch(url(path), { headers: authHeader() });
  if (response.status === 401) {
    forget();
    onUnauthenticated();
    throw new ApiError(401, SIGNED_OUT, 'unauthenticated');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new ApiError(response.status, body.error?.message ?? `HTTP ${response.status}`);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
