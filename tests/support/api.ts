/** When: people use the API of a running local system. */
import { expect } from 'vitest';

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
}

export function apiClient(base: string) {
  const tokens = new Map<string, string>();
  const login = async (user: string): Promise<string> => {
    const cached = tokens.get(user);
    if (cached) return cached;
    const response = await fetch(`${base}/auth/dev-login`, { method: 'POST', body: JSON.stringify({ user }) });
    const body = (await response.json()) as { token: string };
    if (response.status !== 200) throw new Error(`login ${user}: ${response.status} ${JSON.stringify(body)}`);
    tokens.set(user, body.token);
    return body.token;
  };
  const call = async <T = any>(user: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const auth: Record<string, string> = user ? { authorization: `Bearer ${await login(user)}` } : {};
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    login,
    call,
    get: <T = any>(user: string | undefined, path: string) => call<T>(user, 'GET', path),
    post: <T = any>(user: string | undefined, path: string, body?: unknown, headers?: Record<string, string>) => call<T>(user, 'POST', path, body, headers),
    /** Opens a case and expects 201. */
    async open(user: string, type: string, title: string, fields: Record<string, unknown>) {
      const response = await call(user, 'POST', '/api/cases', { type, title, fields });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body as { id: string; version: number; currentStep: string };
    },
    /** Acts at the case's current version and expects 200. */
    async act(user: string, id: string, command: Record<string, unknown>) {
      const current = await this.settled(user, id);
      const response = await call(user, 'POST', `/api/cases/${id}/actions`, { version: current.body.version, ...command });
      expect(response.status, `${user} ${command.action}: ${JSON.stringify(response.body)}`).toBe(200);
      return response.body;
    },
    /** The case once no automatic step is pending (the orchestrator has caught up). */
    async settled(user: string, id: string) {
      const body = await this.until(user, id, (c) => c.status !== 'open' || c.steps.find((s: any) => s.state === 'current')?.type !== 'auto', 'a settled state');
      return { status: 200, body };
    },
    /** Waits until the orchestrator has moved the case where `predicate` wants it. */
    async until(user: string, id: string, predicate: (c: any) => boolean, what = 'the expected state') {
      const deadline = Date.now() + 10_000;
      let last: any;
      while (Date.now() < deadline) {
        last = (await call(user, 'GET', `/api/cases/${id}`)).body;
        if (predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`case ${id} never reached ${what}: ${JSON.stringify({ status: last?.status, step: last?.currentStep, number: last?.number })}`);
    },
  };
}
