/** 已阅: a reader of a circulated or copied case marks it read. */
import { ConflictError } from '../../../errors.ts';
import type { Session } from '../session.ts';

export function markRead(s: Session, actorId: string): void {
  const reader = s.c.readers.find((r) => r.personId === actorId && !r.readAt);
  if (!reader) throw new ConflictError('没有待阅。Nothing to read.', 'nothing-to-read');
  reader.readAt = s.at;
  s.log(actorId, 'read');
}
