/** Given: a large organisation — the demo bureau's people plus thousands more in hundreds of sections. */
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import type { OrgInput } from '../../functions/domain/org/org.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红玉兰志强';

/** `people` people in `departments` departments (the demo bureau's included), each section with a head. */
export function bigOrg(people: number, departments: number): OrgInput {
  const depts = [...demoOrg.departments];
  for (let d = depts.length; d < departments; d++) depts.push({ id: `dept-${d}`, name: `第${d}科`, nameEn: `Section ${d}` });
  const persons = [...demoOrg.people];
  const deputies = persons.filter((p) => p.roles.includes('deputy'));
  for (let i = persons.length; i < people; i++) {
    const dept = depts[4 + (i % (depts.length - 4))]!;
    const isHead = !persons.some((p) => p.departmentId === dept.id && p.roles.includes('department-head'));
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13) % GIVEN.length]}`;
    persons.push({ id: `p-${i}`, name, nameEn: `Person ${i}`, title: isHead ? '科长' : '科员', departmentId: dept.id, roles: [isHead ? 'department-head' : 'staff'], email: `p-${i}@demo.bangong.cn`, active: true });
  }
  // The deputies are in charge of every section between them.
  const inCharge = deputies.map((d) => ({ ...d, inChargeOf: [...(d.inChargeOf ?? [])] }));
  depts.slice(4).forEach((d, i) => inCharge[i % inCharge.length]!.inChargeOf.push(d.id));
  return { ...demoOrg, departments: depts, people: persons.map((p) => inCharge.find((d) => d.id === p.id) ?? p) };
}
