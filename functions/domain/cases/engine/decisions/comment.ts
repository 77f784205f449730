/** 意见: anyone who may see a case may comment on it, open or closed. */
import { countComment } from '../../activity.ts';
import type { CommandOf } from '../context.ts';
import type { Session } from '../session.ts';

export function comment(s: Session, actorId: string, command: CommandOf<'comment'>): void {
  countComment(s.c, actorId, s.at);
  s.log(actorId, 'comment', { comment: command.comment });
}
