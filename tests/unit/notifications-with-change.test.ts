/** Which of a change's notifications are written in its own transaction (notification-id.ts): each once, as many as there is room for. */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/domain/cases/case.ts';
import { storedNotification, withTheChange } from '../../functions/domain/notification-id.ts';

const note = (personId: string, kind: Notification['kind'] = 'info', message = `待办 ${personId}`): Notification => ({
  personId,
  caseId: '20261127-abcd',
  title: '请假',
  code: kind === 'info' ? 'to-do' : 'overdue',
  text: { zh: message, en: message },
  message,
  at: '2026-11-27T01:00:00.000Z',
  kind,
});

describe('the notifications a change writes with itself', () => {
  it('writes every kind, stored as the notification store stores them (the emailed kinds then mailed: a change commits once, so they are new)', () => {
    const all = [note('a'), note('b', 'chase'), note('c'), note('d', 'digest')];
    const { written, rest } = withTheChange(all, 100);
    expect(written).toEqual(all.map(storedNotification));
    expect(written[0]).toMatchObject({ read: false, id: expect.stringMatching(/^2026-11-27T01:00:00\.000Z#[\w-]{12}$/) });
    expect(rest).toEqual([]);
  });

  it('writes each once (a transaction may not name an item twice), and leaves what does not fit to be written after it', () => {
    const { written, rest } = withTheChange([note('a'), note('a'), note('b'), note('c'), note('d')], 2);
    expect(written.map((n) => n.personId)).toEqual(['a', 'b']);
    expect(rest.map((n) => n.personId)).toEqual(['c', 'd']);
    expect(withTheChange([note('a')], 0)).toEqual({ written: [], rest: [note('a')] });
    // Nor is what is left over handed back twice (the batch written after it would be refused).
    expect(withTheChange([note('a'), note('b'), note('b')], 1).rest.map((n) => n.personId)).toEqual(['b']);
  });

  it('keeps apart two people told the same thing, and one person told two things', () => {
    const { written } = withTheChange([note('a', 'info', '同一句'), note('b', 'info', '同一句'), note('a', 'info', '另一句')], 10);
    expect(written.map((n) => `${n.personId}:${n.message}`)).toEqual(['a:同一句', 'b:同一句', 'a:另一句']);
    expect(new Set(written.map((n) => `${n.personId}|${n.id}`)).size).toBe(3);
  });
});
