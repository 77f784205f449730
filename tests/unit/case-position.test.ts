import { describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { moveTo, positionOf, stepKeyOf, WITH_APPLICANT, type CaseRecord } from '../../functions/domain/cases/case.ts';
import { caseView } from '../../functions/domain/cases/case-view.ts';
import { availableActions, decide, waitingOn } from '../../functions/domain/cases/engine.ts';
import { givenCase, MONDAY_9AM } from '../support/engine.ts';

const leaveFields = (days: number) => ({ leaveType: 'personal', startDate: '2026-11-23', endDate: `2026-11-${String(22 + Math.max(1, Math.ceil(days))).padStart(2, '0')}`, days, reason: '家中有事' });

/** A table of one item behind the real store: reads answer with it, transactions replace it with the case item written. */
function tableOfOne(item?: Record<string, unknown>) {
  const table = { item };
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  vi.spyOn(db, 'send').mockImplementation(async (command: unknown) => {
    if (command instanceof GetCommand) return { Item: table.item };
    if (command instanceof QueryCommand) return { Count: 0, Items: [] };
    if (command instanceof TransactWriteCommand) {
      for (const t of command.input.TransactItems ?? []) if (t.Put?.Item?.sk === 'CASE') table.item = t.Put.Item;
      return {};
    }
    throw new Error(`unexpected command ${String(command)}`);
  });
  return { store: new DynamoCaseStore(db, 'bangong'), table };
}

/** A leave case the section head has just returned to its applicant, and the case before that. */
function returnedLeave() {
  const c = givenCase('leave', 'xu-liang', leaveFields(2));
  const before = c.case;
  const returned = decide(before, c.ctx(), 'zhou-tao', { action: 'return', comment: '请补充', toStep: 'applicant' });
  return { c, before, returned };
}

describe('where a case stands, and the record that stores it', () => {
  it('a case returned to its applicant is stored as before: stepIndex -1, and the wait key "-1.<round>"', async () => {
    const { before, returned } = returnedLeave();
    expect(positionOf(returned.case)).toEqual({ kind: 'applicant' });
    const { store, table } = tableOfOne();
    await store.save(before, returned);
    const data = table.item?.data as Record<string, unknown>;
    expect(data.stepIndex).toBe(-1);
    expect(data).not.toHaveProperty('position');
    expect(table.item?.stepKey).toBe(`-1.${returned.case.round}`);
  });

  it('an item written with stepIndex -1 reads back as returned to the applicant, who may resubmit it', async () => {
    const { c, returned } = returnedLeave();
    // As an item written by earlier releases looks: the record under `data`, the wait key beside it.
    const stored = { pk: 'CASE#C1', sk: 'CASE', stepKey: '-1.2', data: JSON.parse(JSON.stringify({ ...returned.case, stepIndex: -1, round: 2 })) };
    const { store } = tableOfOne(stored);
    const read = (await store.get('C1'))!;
    expect(positionOf(read)).toEqual({ kind: 'applicant' });
    expect(stepKeyOf(read)).toBe('-1.2');
    expect(waitingOn(read)).toEqual(['xu-liang']);
    expect(availableActions(read, c.ctx(), 'xu-liang')).toContain('resubmit');
    const view = caseView(read, c.ctx().definition, c.ctx().org, 'xu-liang', MONDAY_9AM);
    expect(view.currentStep).toBe('applicant');
    expect(view.assignees).toEqual([{ id: 'xu-liang', name: '徐亮' }]);
    const resubmitted = decide(read, c.ctx(), 'xu-liang', { action: 'resubmit' });
    expect(positionOf(resubmitted.case)).toEqual({ kind: 'step', index: 0 });
  });

  it('a case at a step keeps the wait key of its index and round', async () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const before = c.case;
    const approved = decide(before, c.ctx(), 'zhou-tao', { action: 'approve' });
    const deputy = c.ctx().definition.steps.findIndex((s) => s.id === 'deputy');
    expect(positionOf(approved.case)).toEqual({ kind: 'step', index: deputy });
    const { store, table } = tableOfOne();
    await store.save(before, approved);
    expect(table.item?.stepKey).toBe(`${deputy}.${approved.case.round}`);
    expect((table.item?.data as CaseRecord).stepIndex).toBe(deputy);
  });

  it('moving a record to its applicant and back writes the stored field only', () => {
    const record: Pick<CaseRecord, 'stepIndex'> = { stepIndex: 3 };
    moveTo(record, WITH_APPLICANT);
    expect(record).toEqual({ stepIndex: -1 });
    moveTo(record, { kind: 'step', index: 2 });
    expect(record).toEqual({ stepIndex: 2 });
  });
});

describe('the case view says whether the caller may add files (the upload route’s rule)', () => {
  it('while a case is open: those who may see it; others not', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const view = (personId: string) => caseView(c.case, c.ctx().definition, c.ctx().org, personId, MONDAY_9AM);
    expect(view('xu-liang').mayAttach).toBe(true);
    expect(view('zhou-tao').mayAttach).toBe(true);
    // The archivist is no leader and not on this case: they do not see it.
    expect(view('huang-li').mayAttach).toBe(false);
  });

  it('once it is closed: the office’s record keepers who see it, not its applicant', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(0.5));
    c.act('zhou-tao', { action: 'approve' });
    expect(c.case.status).toBe('completed');
    const view = (personId: string) => caseView(c.case, c.ctx().definition, c.ctx().org, personId, MONDAY_9AM);
    expect(view('xu-liang').mayAttach).toBe(false);
    expect(view('zhou-tao').mayAttach).toBe(false);
    expect(view('chen-zhiqiang').mayAttach).toBe(true);
  });
});
