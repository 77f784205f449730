/** Given: many cases in the table at once (case and inbox items via BatchWrite), made by the real engine. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import type { CaseRecord } from '../../functions/domain/cases/case.ts';
import { decide, openCase } from '../../functions/domain/cases/engine.ts';
import { catalog } from '../../functions/domain/definitions/catalog/index.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgChart, OrgInputSchema } from '../../functions/domain/org/org.ts';

export const STAFF = ['xu-liang', 'ma-chao', 'wu-min', 'hu-jun', 'liu-fang', 'huang-li'];

/**
 * `count` leave cases by the staff, one every `spacingMs` back from `end`; every `openEvery`-th stays
 * open at its first step (due one working day after it was made), the rest are completed.
 */
export function makeCases(count: number, options: { end: number; spacingMs: number; openEvery: number; prefix: string; applicants?: readonly string[] }): CaseRecord[] {
  const applicants = options.applicants ?? STAFF;
  const org = new OrgChart({ ...OrgInputSchema.parse(demoOrg), version: 1, updatedAt: new Date(options.end).toISOString() });
  const calendar = new WorkingCalendar();
  const leave = [...catalog.values()].find((d) => d.type === 'leave')!;
  let seq = 0;
  const cases: CaseRecord[] = [];
  for (let i = 0; i < count; i++) {
    const now = options.end - (count - i) * options.spacingMs;
    const ctx = { definition: leave, org, calendar, now, newId: () => `b${++seq}` };
    const applicantId = applicants[i % applicants.length]!;
    const fields = { leaveType: 'personal', startDate: '2026-11-23', endDate: '2026-11-23', days: 0.5, reason: '事' };
    let c = openCase(ctx, { id: `${options.prefix}-${i}`, title: `请假 ${i}`, fields, applicantId }).case;
    if (i % options.openEvery !== 0) {
      c = decide(c, ctx, c.slots[0]!.personId, { action: 'approve' }).case;
      c = { ...c, status: 'completed', stepIndex: leave.steps.length, slots: [], dueAt: undefined };
    }
    cases.push(c);
  }
  return cases;
}

export async function bulkLoad(endpoint: string, cases: readonly CaseRecord[]): Promise<number> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoCaseStore(db, 'bangong');
  const count = await putAll(db, cases.flatMap((c) => store.bulkItems(c)));
  db.destroy();
  return count;
}

/**
 * `count` comments (or circulations) of `length` characters on a case, written straight into its
 * trail (as a long discussion would leave it, without going through the API's limits).
 */
export async function bulkComments(endpoint: string, caseId: string, count: number, length: number, options: { at?: number; action?: 'comment' | 'circulate' } = {}): Promise<number> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  const text = '意'.repeat(length);
  const at = options.at ?? Date.parse('2026-11-24T02:00:00Z');
  const action = options.action ?? 'comment';
  const items = Array.from({ length: count }, (_, i) => {
    const entry = { at: new Date(at + i * 1000).toISOString(), actorId: 'zhou-tao', actorName: '周涛', action, comment: `${i} ${text}` };
    // A circulation is a routing-slip entry too, kept twice as the store keeps it.
    const slip = action === 'circulate' ? [{ ...keys.slip(caseId, 900_000 + Math.floor(i / 1000), i % 1000), entry }] : [];
    return [{ ...keys.trail(caseId, 900_000 + Math.floor(i / 1000), i % 1000), entry }, ...slip];
  }).flat();
  const written = await putAll(db, items);
  db.destroy();
  return written;
}

async function putAll(db: DynamoDBDocumentClient, items: readonly Record<string, unknown>[]): Promise<number> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let batch: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (batch && batch.length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: { bangong: batch } }));
          batch = result.UnprocessedItems?.bangong as typeof batch;
        }
      }
    }),
  );
  return items.length;
}
