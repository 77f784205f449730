/**
 * The org chart (组织机构): departments, people, their roles, which departments each deputy is in
 * charge of (分管), and stand-ins (代签: who signs for whom, for a period). Approver rules are
 * resolved against it, never against fixed names. Edits create a new version; trail entries keep
 * the names they were written with, so an edit never rewrites the past.
 */
import * as z from 'zod/mini';

export const ROLES = [
  'head', // 局长/会长/主任
  'deputy', // 分管副职
  'department-head', // 科长
  'office-director', // 办公室主任
  'clerk', // 文书/收发员
  'confidential-clerk', // 机要员
  'seal-keeper', // 印章管理员
  'archivist', // 档案员
  'finance', // 会计/出纳
  'petition-desk', // 信访岗
  'staff', // 工作人员
  'supervisor', // 督办专员
  'admin', // 系统管理员
] as const;
export type Role = (typeof ROLES)[number];

const id = z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '编号只能包含小写字母、数字和连字符。Ids use lowercase letters, digits and hyphens.'));
const name = z.string().check(z.trim(), z.minLength(1, '不能为空。Required.'), z.maxLength(40, '最多 40 个字。At most 40 characters.'));

export const DepartmentSchema = z.object({
  id,
  name,
  nameEn: z.optional(z.string().check(z.maxLength(80))),
  /** The general office: its head is the office director. */
  isOffice: z.optional(z.boolean()),
  /** 机构代码 (DA/T 22): the department's code in item numbers (档号), e.g. BGS for 办公室. Defaults to its id in capitals. */
  archiveCode: z.optional(z.string().check(z.regex(/^[A-Z0-9]{1,10}$/, '机构代码须为 1–10 位大写字母或数字。archiveCode: 1–10 capital letters or digits.'))),
});
export type Department = z.infer<typeof DepartmentSchema>;

export const PersonSchema = z.object({
  id,
  name,
  nameEn: z.optional(z.string().check(z.maxLength(80))),
  title: z.optional(z.string().check(z.maxLength(40))),
  departmentId: z.optional(id),
  roles: z.array(z.enum(ROLES)).check(z.minLength(1, '至少一个角色。At least one role.')),
  /** For deputies: the departments they are in charge of (分管). */
  inChargeOf: z.optional(z.array(id)),
  email: z.optional(z.email()),
  active: z._default(z.boolean(), true),
});
export type Person = z.infer<typeof PersonSchema>;

export const StandInSchema = z.object({
  principalId: id,
  standInId: id,
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  reason: z.optional(z.string().check(z.maxLength(200))),
});
export type StandIn = z.infer<typeof StandInSchema>;

/** A department's 机构代码: the one set, or its id in capitals without hyphens (finance → FINANCE). */
export function archiveCodeOf(department: Pick<Department, 'id' | 'archiveCode'>): string {
  return department.archiveCode ?? department.id.replace(/-/g, '').toUpperCase().slice(0, 10);
}

export const OrgInputSchema = z
  .object({
    name: name.check(z.maxLength(80)),
    nameEn: z.optional(z.string().check(z.maxLength(120))),
    /** 机关代字: the short name the organisation's document numbers begin with (示事管 → 示事管发〔2026〕12号). */
    agencyCode: z.optional(
      z.string().check(
        z.trim(),
        z.minLength(1, '机关代字不能为空。The agency code cannot be empty.'),
        z.maxLength(10, '机关代字最多 10 个字。At most 10 characters.'),
        z.regex(/^[\u4e00-\u9fffA-Za-z]+$/, '机关代字只能是汉字或字母。Chinese characters or letters only.'),
      ),
    ),
    /** 全宗号 (DA/T 22): the fonds number the archives authority gave the organisation, first in every 档号 (Z123). */
    fondsCode: z.optional(z.string().check(z.regex(/^[A-Z0-9]{1,12}$/, '全宗号须为 1–12 位大写字母或数字。fondsCode: 1–12 capital letters or digits.'))),
    departments: z.array(DepartmentSchema).check(z.minLength(1, '至少一个部门。At least one department.'), z.maxLength(2_000, '最多 2000 个部门。At most 2,000 departments.')),
    people: z.array(PersonSchema).check(z.minLength(1, '至少一人。At least one person.'), z.maxLength(20_000, '最多 20000 人。At most 20,000 people.')),
    standIns: z._default(z.array(StandInSchema).check(z.maxLength(5_000, '最多 5000 条代签安排。At most 5,000 stand-ins.')), []),
  })
  .check(z.superRefine((org, ctx) => {
    const departments = new Set(org.departments.map((d) => d.id));
    const people = new Set(org.people.map((p) => p.id));
    // In one pass (a bureau may have thousands of people).
    const duplicate = (ids: string[]) => {
      const seen = new Set<string>();
      return ids.find((v) => seen.size === seen.add(v).size);
    };
    const dupCode = duplicate(org.departments.map((d) => archiveCodeOf(d)));
    if (dupCode) ctx.addIssue({ code: 'custom', path: ['departments'], message: `机构代码重复：${dupCode}。Duplicate archive code.` });
    const dupDept = duplicate(org.departments.map((d) => d.id));
    if (dupDept) ctx.addIssue({ code: 'custom', path: ['departments'], message: `部门编号重复：${dupDept}。Duplicate department id.` });
    const dupPerson = duplicate(org.people.map((p) => p.id));
    if (dupPerson) ctx.addIssue({ code: 'custom', path: ['people'], message: `人员编号重复：${dupPerson}。Duplicate person id.` });
    org.people.forEach((p, i) => {
      if (p.departmentId && !departments.has(p.departmentId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'departmentId'], message: `没有这个部门：${p.departmentId}。Unknown department.` });
      }
      (p.inChargeOf ?? []).forEach((d, j) => {
        if (!departments.has(d)) ctx.addIssue({ code: 'custom', path: ['people', i, 'inChargeOf', j], message: `没有这个部门：${d}。Unknown department.` });
      });
    });
    org.standIns.forEach((s, i) => {
      for (const key of ['principalId', 'standInId'] as const) {
        if (!people.has(s[key])) ctx.addIssue({ code: 'custom', path: ['standIns', i, key], message: `没有这个人：${s[key]}。Unknown person.` });
      }
      if (s.principalId === s.standInId) ctx.addIssue({ code: 'custom', path: ['standIns', i, 'standInId'], message: '不能自己代自己。A person cannot stand in for themselves.' });
      if (Date.parse(s.to) <= Date.parse(s.from)) ctx.addIssue({ code: 'custom', path: ['standIns', i, 'to'], message: '结束时间须晚于开始时间。The end must be after the start.' });
    });
    if (!org.people.some((p) => p.roles.includes('head'))) ctx.addIssue({ code: 'custom', path: ['people'], message: '须有一位主要负责人（head）。Someone must hold the head role.' });
  }));
export type OrgInput = z.infer<typeof OrgInputSchema>;

export interface Org extends OrgInput {
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

/** Read-side helpers over one org version. */
export class OrgChart {
  private readonly byId: Map<string, Person>;
  // Indexes of the active people, built on first use: rules resolve per case and per step, and an
  // org of thousands must not be walked for each.
  private index?: { readonly byRole: Map<string, Person[]>; readonly heads: Map<string, Person[]>; readonly deputies: Map<string, Person[]> };

  constructor(readonly org: Org) {
    this.byId = new Map(org.people.map((p) => [p.id, p]));
  }

  private indexed() {
    if (this.index) return this.index;
    const add = (map: Map<string, Person[]>, key: string, p: Person) => {
      const list = map.get(key);
      if (list) list.push(p);
      else map.set(key, [p]);
    };
    const byRole = new Map<string, Person[]>();
    const heads = new Map<string, Person[]>();
    const deputies = new Map<string, Person[]>();
    for (const p of this.org.people) {
      if (p.active === false) continue;
      for (const role of p.roles) add(byRole, role, p);
      if (p.departmentId && (p.roles.includes('department-head') || p.roles.includes('office-director'))) add(heads, p.departmentId, p);
      if (p.roles.includes('deputy')) for (const d of new Set(p.inChargeOf ?? [])) add(deputies, d, p);
    }
    this.index = { byRole, heads, deputies };
    return this.index;
  }

  person(personId: string): Person | undefined {
    return this.byId.get(personId);
  }

  department(departmentId: string | undefined): Department | undefined {
    return this.org.departments.find((d) => d.id === departmentId);
  }

  withRole(role: Role): Person[] {
    return [...(this.indexed().byRole.get(role) ?? [])];
  }

  has(personId: string, role: Role): boolean {
    return this.person(personId)?.roles.includes(role) ?? false;
  }

  /** 科长 of a department (the office's is the office director). */
  departmentHeadOf(departmentId: string | undefined): Person[] {
    return departmentId === undefined ? [] : [...(this.indexed().heads.get(departmentId) ?? [])];
  }

  /** 分管领导: the deputies in charge of a department. */
  deputyInChargeOf(departmentId: string | undefined): Person[] {
    if (!departmentId) return [];
    return [...(this.indexed().deputies.get(departmentId) ?? [])];
  }

  /** Who signs for `personId` at `at`, if they are away. */
  standInFor(personId: string, at: number): Person | undefined {
    const standIn = this.org.standIns.find(
      (s) => s.principalId === personId && Date.parse(s.from) <= at && at < Date.parse(s.to),
    );
    return standIn ? this.person(standIn.standInId) : undefined;
  }

  /** A person's direct superior: department head → deputy in charge → head. */
  superiorOf(personId: string): Person[] {
    const person = this.person(personId);
    if (!person) return [];
    if (person.roles.includes('head')) return [];
    if (person.roles.includes('deputy')) return this.withRole('head');
    const isDeptHead = person.roles.includes('department-head') || person.roles.includes('office-director');
    if (isDeptHead) {
      const deputies = this.deputyInChargeOf(person.departmentId);
      return deputies.length > 0 ? deputies : this.withRole('head');
    }
    const heads = this.departmentHeadOf(person.departmentId).filter((p) => p.id !== personId);
    if (heads.length > 0) return heads;
    const deputies = this.deputyInChargeOf(person.departmentId);
    return deputies.length > 0 ? deputies : this.withRole('head');
  }

  /** The name a trail entry keeps. */
  nameOf(personId: string): string {
    return this.person(personId)?.name ?? personId;
  }
}
