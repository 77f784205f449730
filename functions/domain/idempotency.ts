/**
 * Idempotency-Key handling shared by every POST: a retry with the same key and body gets the
 * first response and changes nothing; the same key with another body is refused.
 */
import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError, ValidationError } from './errors.ts';
import type { Caller, CaseStore, Idempotency } from './ports.ts';

export interface Response {
  readonly statusCode: number;
  readonly body: unknown;
}

export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/**
 * Runs `work` once per key. `work` receives the idempotency record to commit with its change
 * (null when the request has no key) and returns the response it committed.
 */
export async function idempotent(
  cases: CaseStore,
  caller: Caller,
  key: string | undefined,
  requestFingerprint: string,
  work: (record: (response: Response) => Idempotency | undefined) => Promise<Response>,
): Promise<Response> {
  if (key !== undefined && !/^[\w-]{8,128}$/.test(key)) {
    throw new ValidationError('请求幂等键（Idempotency-Key）须为 8–128 位字母、数字、- 或 _。Idempotency-Key: 8–128 letters, digits, - or _.', 'Idempotency-Key');
  }
  const replay = async () => {
    if (!key) return undefined;
    const stored = await cases.storedResponse(caller.personId, key);
    if (!stored) return undefined;
    if (stored.fingerprint !== requestFingerprint) {
      throw new UnprocessableError('idempotency-key-reused', '此请求幂等键（Idempotency-Key）已用于另一个请求。This Idempotency-Key was used for a different request.', 'Idempotency-Key');
    }
    if (stored.pending) throw new ConflictError('同一请求正在处理，请稍候再试。The same request is still being handled: try again shortly.', 'request-in-progress');
    return stored.response;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await work((response) => (key ? { key, personId: caller.personId, fingerprint: requestFingerprint, response } : undefined));
  } catch (error) {
    // A concurrent retry with the same key may have committed first: answer as it did.
    if (error instanceof ConflictError) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}

/**
 * For requests whose work is not one transaction but harmless to repeat (marking read, restarting
 * executions): the key is reserved first, so a concurrent retry is told to wait rather than
 * running the work again; the response is kept when the work is done, and a failure frees the key.
 */
export async function idempotentRepeatable(cases: CaseStore, caller: Caller, key: string | undefined, requestFingerprint: string, work: () => Promise<Response>): Promise<Response> {
  return idempotent(cases, caller, key, requestFingerprint, async (record) => {
    const reservation = record({ statusCode: 0, body: null });
    if (!reservation) return work();
    await cases.reserveResponse(reservation);
    let response: Response;
    try {
      response = await work();
    } catch (error) {
      await cases.forgetResponse(reservation.personId, reservation.key);
      throw error;
    }
    await cases.keepResponse({ ...reservation, response });
    return response;
  });
}
