/**
 * The demo organisation loaded on first local start: a bureau with a head, two deputies, the
 * general office and three sections (科). Listed in the README.
 */
import type { OrgInput } from './org.ts';

export const demoOrg: OrgInput = {
  name: '示范市机关事务管理局',
  nameEn: 'Demo City Government Offices Administration',
  agencyCode: '示事管',
  fondsCode: 'Z123',
  departments: [
    { id: 'office', name: '办公室', nameEn: 'General Office', isOffice: true, archiveCode: 'BGS' },
    { id: 'finance', name: '计划财务科', nameEn: 'Planning and Finance Section', archiveCode: 'JCK' },
    { id: 'admin-affairs', name: '行政事务科', nameEn: 'Administrative Affairs Section', archiveCode: 'XZK' },
    { id: 'petitions', name: '信访科', nameEn: 'Petitions Section', archiveCode: 'XFK' },
  ],
  people: [
    { id: 'wang-jianguo', email: 'wang-jianguo@demo.bangong.cn', name: '王建国', nameEn: 'Wang Jianguo', title: '局长', roles: ['head'], active: true },
    { id: 'li-minghua', email: 'li-minghua@demo.bangong.cn', name: '李明华', nameEn: 'Li Minghua', title: '副局长', roles: ['deputy'], inChargeOf: ['office', 'finance'], active: true },
    { id: 'zhang-xiuying', email: 'zhang-xiuying@demo.bangong.cn', name: '张秀英', nameEn: 'Zhang Xiuying', title: '副局长', roles: ['deputy'], inChargeOf: ['admin-affairs', 'petitions'], active: true },
    { id: 'chen-zhiqiang', email: 'chen-zhiqiang@demo.bangong.cn', name: '陈志强', nameEn: 'Chen Zhiqiang', title: '办公室主任', departmentId: 'office', roles: ['office-director', 'admin'], active: true },
    { id: 'liu-fang', email: 'liu-fang@demo.bangong.cn', name: '刘芳', nameEn: 'Liu Fang', title: '文书', departmentId: 'office', roles: ['clerk'], active: true },
    { id: 'yang-jing', email: 'yang-jing@demo.bangong.cn', name: '杨静', nameEn: 'Yang Jing', title: '机要员', departmentId: 'office', roles: ['confidential-clerk'], active: true },
    { id: 'zhao-lei', email: 'zhao-lei@demo.bangong.cn', name: '赵磊', nameEn: 'Zhao Lei', title: '印章管理员', departmentId: 'office', roles: ['seal-keeper'], active: true },
    { id: 'huang-li', email: 'huang-li@demo.bangong.cn', name: '黄丽', nameEn: 'Huang Li', title: '档案员', departmentId: 'office', roles: ['archivist'], active: true },
    { id: 'zhou-tao', email: 'zhou-tao@demo.bangong.cn', name: '周涛', nameEn: 'Zhou Tao', title: '科长', departmentId: 'finance', roles: ['department-head'], active: true },
    { id: 'wu-min', email: 'wu-min@demo.bangong.cn', name: '吴敏', nameEn: 'Wu Min', title: '会计', departmentId: 'finance', roles: ['finance'], active: true },
    { id: 'xu-liang', email: 'xu-liang@demo.bangong.cn', name: '徐亮', nameEn: 'Xu Liang', title: '科员', departmentId: 'finance', roles: ['staff'], active: true },
    { id: 'sun-wei', email: 'sun-wei@demo.bangong.cn', name: '孙伟', nameEn: 'Sun Wei', title: '科长', departmentId: 'admin-affairs', roles: ['department-head'], active: true },
    { id: 'ma-chao', email: 'ma-chao@demo.bangong.cn', name: '马超', nameEn: 'Ma Chao', title: '科员', departmentId: 'admin-affairs', roles: ['staff'], active: true },
    { id: 'zhu-hong', email: 'zhu-hong@demo.bangong.cn', name: '朱红', nameEn: 'Zhu Hong', title: '科长', departmentId: 'petitions', roles: ['department-head'], active: true },
    { id: 'hu-jun', email: 'hu-jun@demo.bangong.cn', name: '胡军', nameEn: 'Hu Jun', title: '信访员', departmentId: 'petitions', roles: ['petition-desk', 'staff'], active: true },
  ],
  standIns: [],
};
