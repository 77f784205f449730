/** 催办 by hand: one logged chase, in the app and by email, to the people the case waits on. */
import { ConflictError, ForbiddenError, RateLimitedError } from '../../../errors.ts';
import { holdersOf, mayChase, waitingOn } from '../chasing.ts';
import type { CommandOf } from '../context.ts';
import type { Session } from '../session.ts';

/** A case is chased by hand at most this often: one 催办 an hour is heard; more is noise. */
const CHASE_INTERVAL_MS = 3_600_000;

export function chase(s: Session, actorId: string, command: CommandOf<'chase'>): void {
  const { c, ctx } = s;
  const { comment } = command;
  if (!mayChase(ctx.org, actorId)) throw new ForbiddenError('只有办公室主任和督办人员可以催办。Only the office director and supervision staff chase.');
  const people = waitingOn(c);
  if (people.length === 0) throw new ConflictError('此件当前无人待办。Nobody is waiting to act on this case.', 'nobody-waiting');
  const last = c.lastChasedAt ? Date.parse(c.lastChasedAt) : undefined;
  if (last !== undefined && ctx.now - last < CHASE_INTERVAL_MS) {
    const minutes = Math.ceil((CHASE_INTERVAL_MS - (ctx.now - last)) / 60_000);
    throw new RateLimitedError(`此件刚催办过，请 ${minutes} 分钟后再催。This case was just chased: try again in ${minutes} minutes.`, minutes * 60);
  }
  c.lastChasedAt = s.at;
  c.chases = (c.chases ?? 0) + 1;
  s.remember(actorId);
  // Told: whoever can act (delegates and stand-ins too); counted: whose work it is.
  s.log(actorId, 'chase', { comment, detail: { people: people.map((p) => ctx.org.nameOf(p)), personIds: holdersOf(c) } });
  const due = c.dueAt ? { zh: `（应于 ${c.dueAt.slice(0, 10)} 前办理）`, en: ` (due ${c.dueAt.slice(0, 10)})` } : { zh: '', en: '' };
  const by = ctx.org.nameOf(actorId);
  s.notify(people, 'chased', { zh: `催办：${by}请您尽快办理${due.zh}${comment ? `：${comment}` : '。'}`, en: `Chased by ${by}: please act${due.en}${comment ? `: ${comment}` : '.'}` }, 'chase');
}
