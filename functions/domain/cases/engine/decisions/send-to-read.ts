/** 传阅 and 抄送: the signer sends the case to people to read; readers never block the step. */
import { UnprocessableError } from '../../../errors.ts';
import { checkReaders, countRouting } from '../../activity.ts';
import type { CommandOf } from '../context.ts';
import { uniquePeople } from '../validation.ts';
import type { Turn } from './turn.ts';

export function sendToRead({ s, actorId, by }: Turn, command: CommandOf<'circulate' | 'copy'>): void {
  const { c, ctx } = s;
  const people = uniquePeople(ctx, command.people, 'people');
  // Only people who do not have it to read already: sending it again to them adds nothing.
  const fresh = people.filter((personId) => !c.readers.some((r) => r.personId === personId && !r.readAt));
  if (fresh.length === 0) throw new UnprocessableError('already-reading', '所选人员均已在阅此件。Everyone chosen has it to read already.', 'people');
  countRouting(c, actorId, s.at);
  for (const personId of fresh) {
    // Someone who read it before reads it again: one entry a person, however often it comes back.
    const earlier = c.readers.find((r) => r.personId === personId);
    const sent = { kind: command.action, addedBy: actorId, addedByName: ctx.org.nameOf(actorId), addedAt: s.at };
    if (earlier) Object.assign(earlier, { ...sent, readAt: undefined });
    else c.readers.push({ personId, ...sent });
  }
  checkReaders(c);
  s.log(actorId, command.action, { ...by, comment: command.comment, detail: { people: fresh.map((p) => ctx.org.nameOf(p)) } });
  const circulated = command.action === 'circulate';
  s.notify(fresh, 'to-read', { zh: `${circulated ? '传阅' : '抄送'}：${c.title}`, en: `${circulated ? 'Circulated' : 'Copied'} to you: ${c.title}` });
}
