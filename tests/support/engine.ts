/** Given/when helpers for the pure engine: the demo org, a fixed clock, a case walked by people. */
import { catalog } from '../../functions/domain/definitions/catalog/index.ts';
import type { Definition } from '../../functions/domain/definitions/definition.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgChart, OrgInputSchema, type OrgInput } from '../../functions/domain/org/org.ts';
import { decide, openCase, pendingAutomaticStep, runAutomaticStep, type Command, type EngineContext } from '../../functions/domain/cases/engine.ts';
import type { CaseRecord, TrailEntry } from '../../functions/domain/cases/case.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import { formatDocumentNumber } from '../../functions/domain/numbering/document-number.ts';
import { MEMORY_EPOCH } from '../../functions/adapters/memory/deps.ts';

/** Monday 23 November 2026, 09:00 in Beijing: the instant the memory twins' clock starts at too. */
export const MONDAY_9AM = MEMORY_EPOCH;

export function orgChart(input: OrgInput = demoOrg): OrgChart {
  return new OrgChart({ ...OrgInputSchema.parse(input), version: 1, updatedAt: new Date(MONDAY_9AM).toISOString() });
}

export function definition(type: string): Definition {
  const d = [...catalog.values()].find((x) => x.type === type);
  if (!d) throw new Error(`no definition ${type}`);
  return d;
}

/** A case being walked through the engine, keeping its trail the way the store would. */
export function givenCase(type: string, applicantId: string, fields: Record<string, unknown>, org = orgChart(), start = MONDAY_9AM) {
  let seq = 0;
  let now = start;
  let numbers = 0;
  const calendar = new WorkingCalendar();
  const ctx = (): EngineContext => ({ definition: definition(type), org, calendar, now, newId: () => `s${++seq}` });
  const opened = openCase(ctx(), { id: 'C1', title: `测试 ${type}`, fields, applicantId });
  let current: CaseRecord = opened.case;
  const trail: TrailEntry[] = [...opened.trail];
  const runAutomatic = () => {
    while (pendingAutomaticStep(current, ctx().definition)) {
      const step = pendingAutomaticStep(current, ctx().definition)!;
      const allocated = step.action.do === 'number' ? { number: formatDocumentNumber(String(current.fields.docKind), 2026, ++numbers) } : undefined;
      const out = runAutomaticStep(current, ctx(), allocated);
      current = { ...out.case, version: current.version + 1 };
      trail.push(...out.trail);
    }
  };
  runAutomatic();
  return {
    get case() {
      return current;
    },
    trail,
    ctx,
    advanceClock(ms: number) {
      now += ms;
    },
    setClock(iso: string) {
      now = Date.parse(iso);
    },
    /** Who must sign now (the holders of actionable slots). */
    get waitingOn(): string[] {
      return current.slots.filter((s) => s.state === 'pending').map((s) => s.personId);
    },
    get step(): string | undefined {
      return current.stepIndex < 0 ? 'applicant' : ctx().definition.steps[current.stepIndex]?.id;
    },
    act(actorId: string, command: Command) {
      const out = decide(current, ctx(), actorId, command);
      current = { ...out.case, version: current.version + 1 };
      trail.push(...out.trail);
      runAutomatic();
      return out;
    },
  };
}
