/** The month's assessment as the caller may see it: leaders and the office everyone; a section head their section; others themselves. */
import type { Caller, Deps } from '../ports.ts';
import { loadOrgChart } from '../org/org-service.ts';
import { assess, type Assessment, type Fact } from './assessment.ts';

const SEE_ALL = ['head', 'deputy', 'office-director', 'admin'] as const;
/** Facts are summed, never sent: a month of a large office's decisions fits (about 1 KB each in memory). */
const FACTS_PER_MONTH = 200_000;

export async function readAssessment(deps: Pick<Deps, 'registers' | 'org'>, caller: Caller, month: string): Promise<Assessment> {
  const [org, facts] = await Promise.all([loadOrgChart(deps), deps.registers.entries<Fact>('facts', month, FACTS_PER_MONTH)]);
  const all = assess(month, facts, org);
  if (SEE_ALL.some((role) => org.has(caller.personId, role))) return all;
  const own = org.person(caller.personId)?.departmentId;
  if (own && org.has(caller.personId, 'department-head')) {
    return { month, departments: all.departments.filter((d) => d.department === own), people: all.people.filter((p) => p.department === own) };
  }
  return { month, departments: [], people: all.people.filter((p) => p.person === caller.personId) };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The assessment as two sheets' worth of lines, for export. */
export function assessmentRegister(a: Assessment) {
  const figures = [
    { key: 'completed', label: { zh: '办理件次', en: 'Decisions' }, width: 10 },
    { key: 'onTime', label: { zh: '按时', en: 'On time' }, width: 8 },
    { key: 'onTimeRate', label: { zh: '及时率', en: 'On-time rate' }, width: 10 },
    { key: 'overdue', label: { zh: '超期', en: 'Overdue' }, width: 8 },
    { key: 'closed', label: { zh: '办结申请', en: 'Requests closed' }, width: 10 },
    { key: 'firstPass', label: { zh: '一次通过', en: 'First pass' }, width: 10 },
    { key: 'firstPassRate', label: { zh: '一次性通过率', en: 'First-pass rate' }, width: 12 },
    { key: 'averageHandlingHours', label: { zh: '平均办理时长（小时）', en: 'Average hours' }, width: 14 },
    { key: 'chased', label: { zh: '被催办次数', en: 'Times chased' }, width: 10 },
  ];
  const pct = (v: number | null) => (v === null ? null : `${Math.round(v * 1000) / 10}%`);
  return {
    // As an office names it: 2026年11月考核统计 (November 2026 assessment).
    name: { zh: `${a.month.slice(0, 4)}年${Number(a.month.slice(5, 7))}月考核统计`, en: `Assessment for ${MONTHS_EN[Number(a.month.slice(5, 7)) - 1]} ${a.month.slice(0, 4)}` },
    title: `${a.month.slice(0, 4)}年${Number(a.month.slice(5, 7))}月考核统计`,
    year: Number(a.month.slice(0, 4)),
    columns: [
      { key: 'level', label: { zh: '类别', en: 'Level' }, width: 8 },
      { key: 'name', label: { zh: '部门/人员', en: 'Department / person' }, width: 14 },
      ...figures,
    ],
    rows: [
      ...a.departments.map((d) => ({ level: '部门', ...d, onTimeRate: pct(d.onTimeRate), firstPassRate: pct(d.firstPassRate) })),
      ...a.people.map((p) => ({ level: '个人', ...p, onTimeRate: pct(p.onTimeRate), firstPassRate: pct(p.firstPassRate) })),
    ],
  };
}
