import { describe, expect, it } from 'vitest';
import { decide, inboxRowsOf, openCase } from '../../functions/domain/cases/engine.ts';
import { givenCase } from '../support/engine.ts';

const leaveFields = (days: number) => ({ leaveType: 'personal', startDate: '2026-11-23', endDate: `2026-11-${String(22 + Math.max(1, Math.ceil(days))).padStart(2, '0')}`, days, reason: '家中有事' });
const who = (rows: readonly { task: { personId: string; kind: string } }[]) => rows.map((r) => `${r.task.personId}#${r.task.kind}`).sort();

describe('each outcome says how it moves the inbox, for the store to write with the case', () => {
  it('opening a case puts the first signer’s row, with what the inbox list shows; a comment moves nothing', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const opened = openCase(c.ctx(), { id: 'C2', title: '请假', fields: leaveFields(2), applicantId: 'xu-liang' });
    expect(opened.inbox.remove).toEqual([]);
    expect(opened.inbox.put).toEqual([
      { task: { personId: 'zhou-tao', kind: 'sign', caseId: 'C2', dueAt: opened.case.dueAt }, view: expect.objectContaining({ caseId: 'C2', kind: 'sign', title: '请假', stepName: opened.case.stepName, applicantName: '徐亮', dueAt: opened.case.dueAt }) },
    ]);
    expect(opened.inbox.put).toEqual(inboxRowsOf(opened.case));
    expect(decide(c.case, c.ctx(), 'xu-liang', { action: 'comment', comment: '补充说明' }).inbox).toEqual({ remove: [], put: [] });
  });

  it('a circulation puts only the new readers’ rows; the signer’s row, unchanged, is not written again', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const sent = decide(c.case, c.ctx(), 'zhou-tao', { action: 'circulate', people: ['wu-min', 'hu-jun'] });
    expect(sent.inbox.remove).toEqual([]);
    expect(who(sent.inbox.put)).toEqual(['hu-jun#read', 'wu-min#read']);
    expect(sent.inbox.put[0]!.view.sentBy).toEqual({ id: 'zhou-tao', name: '周涛' });
  });

  it('an approval ends the signer’s row and opens the next step’s; a return to the applicant opens none', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const approved = decide(c.case, c.ctx(), 'zhou-tao', { action: 'approve' });
    expect(approved.inbox.remove.map((t) => `${t.personId}#${t.kind}`)).toEqual(['zhou-tao#sign']);
    expect(who(approved.inbox.put)).toEqual(['li-minghua#sign']);
    const returned = decide(c.case, c.ctx(), 'zhou-tao', { action: 'return', comment: '请补充' });
    expect(returned.inbox).toEqual({ remove: [expect.objectContaining({ personId: 'zhou-tao', kind: 'sign' })], put: [] });
  });
});
