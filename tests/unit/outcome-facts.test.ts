/** The assessment facts of a change come from the domain, worked out from the case's history; the store only writes them. */
import { describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { memoryDeps } from '../../functions/adapters/memory/deps.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import type { CaseRecord, TrailEntry } from '../../functions/domain/cases/case.ts';
import { decide, openCase, pendingAutomaticStep, runAutomaticStep, type Command, type EngineContext, type Outcome } from '../../functions/domain/cases/engine.ts';
import { createOutcome, saveOutcome } from '../../functions/domain/cases/save-outcome.ts';
import type { CaseStore } from '../../functions/domain/ports.ts';
import { factMonth, type ClosedFact, type Fact } from '../../functions/domain/stats/assessment.ts';
import { withFacts, type AssessedOutcome } from '../../functions/domain/stats/outcome-facts.ts';
import { definition, MONDAY_9AM, orgChart } from '../support/engine.ts';

const HOUR = 3_600_000;
const oneDayLeave = { leaveType: 'personal', startDate: '2026-11-23', endDate: '2026-11-23', days: 1, reason: '家中有事' };

/**
 * A one-day leave walked by people through the memory twin of the case store, every change written
 * the way the use cases write it (save-outcome.ts). The twin is wrapped only to see what the
 * domain hands it and which histories the domain reads.
 */
async function walkLeave(decisions: readonly [string, Command][]) {
  const deps = memoryDeps();
  const store = deps.cases;
  const handed: { previous?: CaseRecord; outcome: AssessedOutcome }[] = [];
  const historyReads: string[] = [];
  const cases: Pick<CaseStore, 'create' | 'save' | 'slip'> = {
    create: async (outcome, idempotency) => {
      handed.push({ outcome });
      return store.create(outcome, idempotency);
    },
    save: async (previous, outcome, options) => {
      handed.push({ previous, outcome });
      return store.save(previous, outcome, options);
    },
    slip: async (c) => {
      historyReads.push(c.id);
      return store.slip(c);
    },
  };
  let now = MONDAY_9AM;
  let ids = 0;
  const ctx = (): EngineContext => ({ definition: definition('leave'), org: orgChart(), calendar: new WorkingCalendar(), now, newId: () => `s${++ids}` });
  const save = async (change: (c: CaseRecord) => Outcome) => {
    const previous = (await store.get('L1'))!;
    await saveOutcome({ cases, telemetry: deps.telemetry }, previous, change(previous));
  };
  const runAutomatic = async () => {
    while (pendingAutomaticStep((await store.get('L1'))!, ctx().definition)) await save((c) => runAutomaticStep(c, ctx()));
  };
  await createOutcome({ cases, telemetry: deps.telemetry }, openCase(ctx(), { id: 'L1', title: '徐亮事假1天', fields: oneDayLeave, applicantId: 'xu-liang' }));
  await runAutomatic();
  for (const [actor, command] of decisions) {
    now += HOUR;
    await save((c) => decide(c, ctx(), actor, command));
    await runAutomatic();
  }
  const closing = handed.filter(({ previous, outcome }) => previous?.status === 'open' && outcome.case.status !== 'open');
  return { store, handed, historyReads, closing, telemetry: deps.telemetry };
}

/** The one change that closed the case. */
function closingChange(closing: readonly { previous?: CaseRecord; outcome: AssessedOutcome }[]): { previous: CaseRecord; outcome: AssessedOutcome } {
  expect(closing).toHaveLength(1);
  const [{ previous, outcome }] = closing as [{ previous: CaseRecord; outcome: AssessedOutcome }];
  return { previous, outcome };
}

const closedFact = (facts: readonly Fact[]) => facts.find((f): f is ClosedFact => f.kind === 'closed');

describe('the assessment facts of a change (考核), worked out before it is saved', () => {
  it('counts what each written change did for the dashboard, the automatic steps’ changes included', async () => {
    const { handed, telemetry } = await walkLeave([
      ['zhou-tao', { action: 'return', comment: '请补充', toStep: 'applicant' }],
      ['xu-liang', { action: 'resubmit' }],
      ['zhou-tao', { action: 'approve', comment: '同意' }],
    ]);
    expect(telemetry.counts.get('CasesOpened')).toBe(1);
    expect(telemetry.counts.get('CasesClosed')).toBe(1);
    expect(telemetry.counts.get('Decisions')).toBe(3);
    // Whatever the automatic steps wrote is counted as the people's changes are.
    const filed = handed.flatMap((h) => h.outcome.trail).filter((e) => e.action === 'file').length;
    expect(telemetry.counts.get('Filings') ?? 0).toBe(filed);
  });

  it('a leave once sent back closes as no first pass: the closing change reads the history the return is in', async () => {
    const { handed, historyReads, closing } = await walkLeave([
      ['zhou-tao', { action: 'return', comment: '请补充', toStep: 'applicant' }],
      ['xu-liang', { action: 'resubmit' }],
      ['zhou-tao', { action: 'approve', comment: '同意' }],
    ]);
    const closed = closingChange(closing);
    // The return is in an earlier change, not in the closing one's own trail.
    expect(closed.outcome.trail.some((e) => e.action === 'return')).toBe(false);
    expect(closedFact(closed.outcome.facts)).toMatchObject({ kind: 'closed', caseId: 'L1', type: 'leave', applicantId: 'xu-liang', status: 'completed', firstPass: false });
    // The history is read for that change only, and every write carries its facts.
    expect(historyReads).toEqual(['L1']);
    expect(handed.every(({ outcome }) => Array.isArray(outcome.facts))).toBe(true);
    // The section head's decisions, each against the deadline of the step as it stood.
    const decisions = handed.flatMap(({ outcome }) => outcome.facts).filter((f) => f.kind === 'decision');
    expect(decisions.map((d) => `${d.personId}:${d.action}:${d.onTime}`)).toEqual(['zhou-tao:return:true', 'zhou-tao:approve:true']);
  });

  it('a leave approved straight through closes as a first pass', async () => {
    const { historyReads, closing } = await walkLeave([['zhou-tao', { action: 'approve', comment: '同意' }]]);
    expect(closedFact(closingChange(closing).outcome.facts)).toMatchObject({ status: 'completed', firstPass: true });
    expect(historyReads).toEqual(['L1']);
  });

  it('a new case adds no facts, and a change that leaves the case open reads no history', async () => {
    const { handed, historyReads, closing } = await walkLeave([['zhou-tao', { action: 'return', comment: '请补充', toStep: 'applicant' }]]);
    expect(closing).toEqual([]);
    expect(historyReads).toEqual([]);
    const [created] = handed;
    expect(created?.previous).toBeUndefined();
    expect(created?.outcome.facts).toEqual([]);
    expect(handed.flatMap(({ outcome }) => outcome.facts).map((f) => f.kind)).toEqual(['decision']);
  });

  it('the history handed in decides the closing fact, whatever the closing change itself says', async () => {
    const { store } = await walkLeave([]);
    const open = (await store.get('L1'))!;
    const approved = decide(open, { definition: definition('leave'), org: orgChart(), calendar: new WorkingCalendar(), now: MONDAY_9AM + HOUR, newId: () => 'x' }, 'zhou-tao', { action: 'approve' });
    // Closed by hand here (the automatic steps would close it), so one outcome closes the case.
    const closing: Outcome = { ...approved, case: { ...approved.case, status: 'completed', closedAt: approved.trail.at(-1)!.at } };
    const returnedBefore = { slip: async (): Promise<TrailEntry[]> => [{ at: new Date(MONDAY_9AM).toISOString(), actorId: 'zhou-tao', actorName: '周涛', action: 'return', stepId: 'section' }] };
    const straight = { slip: async (): Promise<TrailEntry[]> => [] };
    expect(closedFact((await withFacts(returnedBefore, open, closing)).facts)?.firstPass).toBe(false);
    expect(closedFact((await withFacts(straight, open, closing)).facts)?.firstPass).toBe(true);
  });
});

/** The real store over a client that records what it is sent: queries find nothing, transactions succeed. */
function recordingTable() {
  const sent: unknown[] = [];
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  vi.spyOn(db, 'send').mockImplementation(async (command: unknown) => {
    sent.push(command);
    if (command instanceof QueryCommand) return { Count: 0, Items: [] };
    if (command instanceof TransactWriteCommand) return {};
    throw new Error(`unexpected command ${String(command)}`);
  });
  const written = () => sent.filter((s): s is TransactWriteCommand => s instanceof TransactWriteCommand).flatMap((t) => t.input.TransactItems ?? []);
  const queries = () => sent.filter((s): s is QueryCommand => s instanceof QueryCommand).map((q) => q.input);
  return { store: new DynamoCaseStore(db, 'bangong'), written, queries };
}

describe('the DynamoDB case store writes the facts it is handed', () => {
  it('each fact under the case and in its month’s register, with the version it was written at; no history read', async () => {
    const { closing } = await walkLeave([['zhou-tao', { action: 'approve', comment: '同意' }]]);
    const { previous, outcome } = closingChange(closing);
    expect(outcome.facts.length).toBeGreaterThan(0);
    const { store, written, queries } = recordingTable();
    await store.save(previous, outcome);
    const version = previous.version + 1;
    const factItems = written().filter((t) => String(t.Put?.Item?.pk).startsWith('FACT#'));
    expect(factItems.map((t) => t.Put!.Item)).toEqual(
      outcome.facts.map((fact, i) => ({ ...keys.fact('L1', version, i), ...keys.factRegister(factMonth(fact.at), fact.at, 'L1', version, i), data: fact })),
    );
    expect(factItems.every((t) => t.Put!.TableName === 'bangong' && t.Put!.ConditionExpression === undefined)).toBe(true);
    // The store reads no routing slip to close the case: only the domain does.
    expect(queries().some((q) => JSON.stringify(q.ExpressionAttributeValues ?? {}).includes(keys.slipPrefix))).toBe(false);
  });

  it('a change handed without facts writes none, even one that closes the case', async () => {
    const { closing } = await walkLeave([['zhou-tao', { action: 'approve' }]]);
    const { previous, outcome } = closingChange(closing);
    const { store, written } = recordingTable();
    await store.save(previous, { ...outcome, facts: [] });
    expect(written().some((t) => String(t.Put?.Item?.pk).startsWith('FACT#'))).toBe(false);
    expect(written().some((t) => t.Put?.Item?.sk === 'CASE')).toBe(true);
  });
});
