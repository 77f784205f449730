/** 加签: the signer adds people who sign before them (blocking their signature) or after it. */
import { ValidationError } from '../../../errors.ts';
import { countRouting } from '../../activity.ts';
import { standInFor } from '../access.ts';
import type { CommandOf } from '../context.ts';
import { uniquePeople } from '../validation.ts';
import type { Turn } from './turn.ts';

export function addSigner({ s, actorId, step, slot, by }: Turn, command: CommandOf<'add-signer'>): void {
  const { c, ctx } = s;
  const people = uniquePeople(ctx, command.people, 'people');
  const taken = people.find((p) => c.slots.some((x) => x.state === 'pending' && x.personId === p));
  if (taken) throw new ValidationError(`${ctx.org.nameOf(taken)}已是当前办理人。Already a signer here.`, 'people');
  if (people.includes(c.applicantId)) throw new ValidationError('申请人不能为自己的申请加签。The applicant cannot sign their own request.', 'people');
  countRouting(c, actorId, s.at);
  const before = command.position === 'before';
  for (const personId of people) {
    c.slots.push({ id: ctx.newId(), personId, standInId: standInFor(c, ctx, personId), origin: before ? 'added-before' : 'added-after', parentId: slot.id, state: 'pending' });
  }
  s.log(actorId, before ? 'add-signer-before' : 'add-signer-after', { ...by, comment: command.comment, detail: { people: people.map((p) => ctx.org.nameOf(p)) } });
  // Added-after signers are told when the signature they follow is given (approve.ts).
  if (before) s.notify(people, 'to-do', { zh: `待办（加签）：${step.name.zh}（${c.title}）`, en: `To do (added signer): ${step.name.en} (${c.title})` });
}
