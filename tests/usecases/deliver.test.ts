/**
 * Delivering what a change told (notify.ts): what the change wrote in its transaction is mailed
 * once; what it had no room for is recorded after it, the emailed kinds only if new, and mailed
 * once, however often that is retried.
 */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { stepOverdue } from '../../functions/domain/cases/engine.ts';
import { chaseTime } from '../../functions/domain/cases/follow-up.ts';
import { engineContext, loadRules } from '../../functions/domain/cases/rules.ts';
import { saveOutcome } from '../../functions/domain/cases/save-outcome.ts';
import { definitionVersion } from '../../functions/domain/definitions/lookup.ts';
import { deliver } from '../../functions/domain/notify.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

describe('delivering what a change told', () => {
  it('mails a crowded chase’s reminders once each: those in its transaction after the commit, the rest recorded after it, only if new, even when delivered again', async () => {
    const office = await givenOffice();
    const opened = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) })).body as { id: string };
    const c = (await office.cases.get(opened.id))!;
    office.clock.set(chaseTime(c)!);
    const rules = await loadRules(office);
    const chase = stepOverdue(c, engineContext(office, rules, definitionVersion(c.type, c.definitionVersion), office.clock.now()));
    const reminder = chase.notifications.find((n) => n.kind === 'chase')!;
    // The step's reminder, and 120 more to the same person about other things: more than one transaction holds.
    const crowd = Array.from({ length: 120 }, (_, i) => ({ ...reminder, message: `${reminder.message} (${i + 1})` }));
    const told = await saveOutcome(office, c, { ...chase, notifications: [...chase.notifications, ...crowd] });
    expect(told.written.length).toBeGreaterThan(0);
    expect(told.rest.length).toBeGreaterThan(0);
    expect(told.written.length + told.rest.length).toBe(chase.notifications.length + 120);

    const before = office.mailer.sent.length;
    await deliver(office, rules.org, told);
    const emailed = chase.notifications.filter((n) => n.kind !== 'info').length + 120;
    expect(office.mailer.sent.length - before).toBe(emailed);
    // What was left over is delivered again (a retry): recorded only if new, so mailed no more.
    await deliver(office, rules.org, told.rest);
    expect(office.mailer.sent.length - before).toBe(emailed);
    const listed = await office.notifications.list(reminder.personId, { unreadOnly: false, limit: 200 });
    const chases = listed.items.filter((n) => n.caseId === c.id && n.kind === 'chase');
    expect(chases).toHaveLength(121);
    expect(chases.every((n) => n.email?.status === 'sent')).toBe(true);
  });
});
