/**
 * 常用意见: the opinions a person writes again and again (同意。/ 请××阅处。/ 拟同意，请××审定。),
 * kept per person, edited by them, and one click into the opinion box. Until they keep their own,
 * they are offered the office's usual ones for their place (a leader's differ from a clerk's).
 */
import * as z from 'zod/mini';
import { hasUnsafeCharacters, UNSAFE_TEXT } from '../text.ts';
import type { Caller, Deps } from '../ports.ts';
import { loadOrgChart } from './org-service.ts';

export const OpinionsSchema = z.object({
  items: z
    .array(
      z.string({ error: '常用意见须为文字。Each opinion is text.' }).check(
        z.trim(),
        z.minLength(1, '常用意见不能为空。An opinion cannot be empty.'),
        z.maxLength(200, '每条常用意见最多 200 字。At most 200 characters each.'),
        z.refine((s) => !hasUnsafeCharacters(s, true), `常用意见${UNSAFE_TEXT}`),
      ),
      { error: '请以列表提交常用意见 items。items must be a list.' },
    )
    .check(z.maxLength(30, '最多 30 条常用意见。At most 30 opinions.')),
});

const LEADER = ['同意。', '拟同意，请××审定。', '请××阅处。', '请××牵头办理，××配合。', '已阅。', '请按规定办理。'];
const SECTION = ['同意。', '拟同意，请××审定。', '请××阅处。', '已办结。', '情况属实，拟同意。'];
const STAFF = ['已阅。', '已办结。', '收到，按要求办理。'];

function defaults(roles: readonly string[]): string[] {
  if (roles.some((r) => r === 'head' || r === 'deputy' || r === 'office-director')) return LEADER;
  if (roles.includes('department-head')) return SECTION;
  return STAFF;
}

export async function opinionsOf(deps: Pick<Deps, 'org' | 'profiles'>, caller: Caller): Promise<{ items: string[]; own: boolean }> {
  const kept = await deps.profiles.opinions(caller.personId);
  if (kept) return { items: kept, own: true };
  const org = await loadOrgChart(deps);
  return { items: defaults(org.person(caller.personId)?.roles ?? []), own: false };
}

export async function keepOpinions(deps: Pick<Deps, 'profiles'>, caller: Caller, input: z.infer<typeof OpinionsSchema>): Promise<{ items: string[]; own: boolean }> {
  // The same opinion twice is kept once, in the order first given.
  const items = [...new Set(input.items)];
  await deps.profiles.keepOpinions(caller.personId, items);
  return { items, own: true };
}
