/**
 * Page cursors of the memory twins, with the DynamoDB adapters' contract (dynamodb/cursors.ts):
 * opaque to the client, bound to the scope they were made for, and a forged, tampered or foreign
 * one is a 400 naming `cursor`. Signed with a key made per set of twins, not encrypted: tests only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';

export const invalidCursor = () => new ValidationError('翻页游标无效，请从第一页重新查看。Invalid cursor: start again from the first page.', 'cursor');

export class MemoryCursors {
  private readonly key = randomBytes(32);

  /** The cursor for a page that continues after `position` (a sort key), for this scope only. */
  seal(position: string | undefined, scope: string): string | undefined {
    if (position === undefined) return undefined;
    const body = Buffer.from(position, 'utf8').toString('base64url');
    return `${body}.${this.mac(body, scope)}`;
  }

  /** The sort key a cursor continues after; one not sealed here for this scope is refused (400). */
  open(cursor: string | undefined, scope: string): string | undefined {
    if (cursor === undefined || cursor === '') return undefined;
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined || mac !== this.mac(body, scope)) throw invalidCursor();
    return Buffer.from(body, 'base64url').toString('utf8');
  }

  private mac(body: string, scope: string): string {
    return createHmac('sha256', this.key).update(scope).update('\n').update(body).digest('base64url');
  }
}
