/**
 * bench/search: a bureau's ten years in the search index, and how fast a decision becomes findable.
 *   npm run bench:search                    CASES=100000 PAGES=20000 YEARS=10 RUNS=5
 * 1. Builds one shard per year (search/search-index.ts) from generated cases with realistic Chinese
 *    titles, fields and opinions, and OCR-like pages of scans; prints build time, stored size
 *    (gzipped JSON, as in S3), the time to load every shard (a cold query function) and the heap.
 * 2. Runs 20 typical queries through the search use case (visibility, filters, snippets) as a
 *    leader and as a member of staff, RUNS times each; prints p50/p95 per query and overall.
 * 3. Applying one change to the largest shard and storing it again (what the indexer does per batch).
 * 4. On the local system (DynamoDB Local's stream, the indexer, S3): from a decision's 200 to its
 *    opinion being found, median of RUNS.
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchShard } from '../functions/domain/search/search-index.ts';
import type { CaseFacts } from '../functions/domain/search/documents.ts';
import { normalizeNumber } from '../functions/domain/search/tokens.ts';
import { searchCases, type SearchDeps } from '../functions/domain/search/search.ts';
import { demoOrg } from '../functions/domain/org/demo-org.ts';
import { OrgInputSchema } from '../functions/domain/org/org.ts';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';

const CASES = Number(process.env.CASES ?? 100_000);
const PAGES = Number(process.env.PAGES ?? 20_000);
const YEARS = Number(process.env.YEARS ?? 10);
const RUNS = Number(process.env.RUNS ?? 5);
const LAST_YEAR = 2026;

// A deterministic generator: the same corpus on every run.
let seed = 20261127;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const TOPICS = '安全生产,防汛抗旱,森林防火,疫情防控,财政预算,政府采购,干部培训,党风廉政建设,信访维稳,档案管理,节能减排,环境保护,食品安全,消防安全,道路交通安全,城市管理,乡村振兴,招商引资,优化营商环境,数字政府建设,政务公开,保密工作,机关事务,公务用车,办公用房,国有资产,审计整改,统计调查,人才引进,社会保障,安全隐患排查,危险化学品,燃气安全,建筑施工安全,校园安全,医疗保障,民生实事,重点项目,文明城市创建,爱国卫生运动,法治政府建设,矛盾纠纷化解,应急演练,值班值守,年度考核,理论学习,主题教育,意识形态工作,网络安全,数据安全'.split(',');
const VERBS = '开展,做好,加强,印发,转发,召开,组织,推进,落实,进一步做好,切实加强'.split(',');
const KINDS = '通知,请示,报告,函,意见,方案,纪要,通报,批复,决定'.split(',');
const ORGS = '市应急管理局,市财政局,市人民政府办公室,市委办公室,市发展和改革委员会,市生态环境局,市住房和城乡建设局,市交通运输局,市卫生健康委员会,市教育局,市公安局,市市场监督管理局,市审计局,市统计局,市人力资源和社会保障局,市信访局,市档案馆,市机关事务管理局,区人民政府,县人民政府'.split(',');
const AGENCY = '示财,示政办,示应急,示发改,示环,示建,示交,示卫,示教,示审,示统,示人社,示信,示档,示机管'.split(',');
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文玉兰红辉建国志强海燕小红晓东建华丽华金凤春梅秀兰玉梅'.split('');
const DEPARTMENTS = '办公室,财务科,人事科,行政科,信访科,法规科,督查室,机要室,档案室,后勤服务中心'.split(',');
const OPINIONS = [
  '同意，请按程序办理。',
  '请{d}阅办，于本周内报送办理结果。',
  '拟同意，请{p}同志阅示。',
  '已阅，请{d}牵头，会同有关科室抓好落实。',
  '请{d}核实{t}相关情况后报我。',
  '按{t}工作部署，抓紧研究提出具体意见。',
  '同意{d}意见，注意做好{t}的衔接。',
  '请将{t}工作情况纳入月度督办事项。',
];
const SENTENCES = [
  '为深入贯彻落实上级关于{t}的决策部署，切实履行工作职责，现就有关事项通知如下。',
  '各单位要高度重视{t}工作，成立工作专班，明确责任分工，确保各项措施落到实处。',
  '请各科室于{m}月{d}日前将{t}自查情况书面报送{o}，逾期未报的将予以通报。',
  '会议研究了{t}有关问题，原则同意{o}提出的工作方案，请抓紧组织实施。',
  '对排查发现的问题，要建立台账，实行销号管理，做到整改措施、责任、时限“三落实”。',
  '经费从年度预算中列支，严格执行政府采购有关规定，不得超标准、超范围支出。',
  '联系人：{p}，联系电话：0755-8{n}。',
];
const name = () => pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : '');
const fill = (template: string, topic: string) =>
  template
    .replace(/\{t\}/g, topic)
    .replace(/\{d\}/g, pick(DEPARTMENTS))
    .replace(/\{p\}/g, name())
    .replace(/\{o\}/g, pick(ORGS))
    .replace('{m}', String(1 + Math.floor(random() * 12)))
    .replace('{d}', String(1 + Math.floor(random() * 28)))
    .replace('{n}', String(1_000_000 + Math.floor(random() * 8_999_999)));

const PEOPLE = demoOrg.people.map((p) => p.id);

function generatedCase(i: number, year: number): { facts: CaseFacts; pages: Map<string, string[]> } {
  const topic = pick(TOPICS);
  const title = `关于${pick(VERBS)}${year}年${topic}工作的${pick(KINDS)}`;
  const number = `${pick(AGENCY)}〔${year}〕${1 + (i % 400)}号`;
  const summary = Array.from({ length: 2 + Math.floor(random() * 3) }, () => fill(pick(SENTENCES), topic)).join('');
  const created = new Date(Date.UTC(year, Math.floor(random() * 12), 1 + Math.floor(random() * 28), 1)).toISOString();
  const opinions = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, n) => ({ id: `${created}#${n}`, at: created, actorName: name(), stepName: pick(['拟办', '批办', '承办']), text: fill(pick(OPINIONS), topic) }));
  const applicant = name();
  const facts: CaseFacts = {
    id: `c${i}`,
    type: pick(['incoming-document', 'outgoing-document', 'leave', 'supervision', 'petition']),
    typeName: { zh: '收文', en: 'Incoming' },
    year,
    status: pick(['open', 'completed', 'completed', 'completed']),
    departmentId: pick(['office', 'finance', 'admin-affairs', 'petitions']),
    createdAt: created,
    updatedAt: created,
    title,
    number,
    applicantName: applicant,
    // A few people each, some 秘密.
    viewers: [pick(PEOPLE), pick(PEOPLE), pick(PEOPLE)],
    classified: random() < 0.03,
    numbers: [normalizeNumber(number)],
    parts: [
      { key: 'title', label: { zh: '标题', en: 'Title' }, text: title },
      { key: 'number', label: { zh: '编号', en: 'Number' }, text: number },
      { key: 'applicant', label: { zh: '申请人', en: 'Applicant' }, text: applicant },
      { key: 'fromOrg', label: { zh: '来文单位', en: 'From' }, text: pick(ORGS) },
      { key: 'summary', label: { zh: '内容摘要', en: 'Summary' }, text: summary },
    ],
    opinions,
    scans: [],
  };
  return { facts, pages: new Map() };
}

function ocrPage(topic: string): string {
  let text = '';
  while (text.length < 700) text += fill(pick(SENTENCES), topic);
  // OCR's usual slips: a character now and then read as another.
  return [...text].map((c) => (random() < 0.02 ? pick(GIVEN) : c)).join('');
}

/** Two numbers of generated cases, typed as people type them (other brackets), and a person's name. */
const known: string[] = [];
/** 17 words and phrases an office types; with the numbers and the name, 20 queries. */
const QUERIES = [
  '安全生产',
  '防汛抗旱',
  '危险化学品',
  '党风廉政建设',
  '政府采购',
  '请财务科阅办',
  '销号管理',
  '年度预算',
  '市应急管理局',
  '三落实',
  '优化营商环境',
  '数据安全',
  '审计整改',
  '值班值守',
  '数字政府建设',
  '逾期未报',
  '森林防火 应急演练',
];

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function indexAtScale() {
  const perYear = Math.ceil(CASES / YEARS);
  const pagesPerYear = Math.ceil(PAGES / YEARS);
  const shards = new Map<number, SearchShard>();
  let built = 0;
  const t0 = performance.now();
  for (let y = 0; y < YEARS; y++) {
    const year = LAST_YEAR - YEARS + 1 + y;
    const shard = await SearchShard.open();
    for (let i = 0; i < perYear; i++) {
      const n = y * perYear + i;
      const { facts } = generatedCase(n, year);
      if (i === 45 && y < 2) known.push(y === 0 ? facts.number! : facts.number!.replace('〔', '[').replace('〕', ']'));
      if (i === 46 && y === 0) known.push(facts.applicantName);
      // The year's scanned pages, spread over its first cases (several pages a file).
      if (i * 5 < pagesPerYear) {
        const count = Math.min(5, pagesPerYear - i * 5);
        const topic = facts.title.replace(/^关于.*?\d{4}年/, '').replace(/工作的.*$/, '');
        shard.put({ ...facts, scans: [{ attachmentId: 'f1', fileName: '扫描件.pdf', pages: count }] }, new Map([['f1', Array.from({ length: count }, () => ocrPage(topic))]]));
      } else shard.put(facts);
      built++;
    }
    shards.set(year, shard);
  }
  const buildMs = performance.now() - t0;
  // As stored in S3: a gzipped SQLite database, one object a year.
  const stored = new Map<number, Buffer>();
  const t1 = performance.now();
  for (const [year, shard] of shards) stored.set(year, gzipSync(shard.serialize(), { level: 1 }));
  const saveMs = performance.now() - t1;
  const bytes = [...stored.values()].reduce((n, b) => n + b.length, 0);
  for (const shard of shards.values()) shard.close();
  shards.clear();
  globalThis.gc?.();
  // A cold query function: every shard read from its stored form.
  const { gunzipSync } = await import('node:zlib');
  const t2 = performance.now();
  for (const [year, body] of stored) shards.set(year, await SearchShard.open(gunzipSync(body)));
  const loadMs = performance.now() - t2;
  globalThis.gc?.();
  const memory = process.memoryUsage();
  console.log(`\n## Index: ${built.toLocaleString()} cases, ${PAGES.toLocaleString()} OCR'd pages, ${YEARS} yearly shards`);
  console.log(`build ${(buildMs / 1000).toFixed(1)} s · stored ${mb(bytes)} gzipped (largest shard ${mb(Math.max(...[...stored.values()].map((b) => b.length)))}) · serialise+gzip ${(saveMs / 1000).toFixed(1)} s`);
  console.log(`load all shards (cold function) ${(loadMs / 1000).toFixed(1)} s · heap ${mb(memory.heapUsed)} · rss ${mb(memory.rss)}`);
  return { shards, stored };
}

async function queries(shards: Map<number, SearchShard>) {
  const org = OrgInputSchema.parse(demoOrg);
  const samplePages = Array.from({ length: 5 }, () => ocrPage('安全生产'));
  // The live re-check of the page's cases reads them from DynamoDB (≤ 20 GetItems in parallel in AWS):
  // here each is made from what the index holds of it.
  const asRecord = (id: string) => {
    for (const shard of shards.values()) {
      const f = shard.facts(id);
      if (f) return { id, applicantId: f.viewers[0], slots: [], readers: [], participants: f.viewers, fields: { confidentiality: f.classified ? 'secret' : 'internal' } };
    }
    return undefined;
  };
  const deps: SearchDeps = {
    cases: { get: async (id: string) => asRecord(id) as never },
    org: { current: async () => ({ ...org, version: 1, updatedAt: '' }) } as never,
    access: { grantsOf: async () => new Set<string>() } as never,
    clock: { now: () => Date.now() },
    search: { years: async () => [...shards.keys()], shard: async (y) => shards.get(y)!, save: async () => undefined },
    // S3 in AWS; here five pages made once.
    scanTexts: { pages: async () => samplePages },
    cursors: { seal: async (p) => (p ? JSON.stringify(p) : undefined), open: async () => undefined },
  };
  console.log(`\n## Queries (${RUNS} runs each; p50 / p95; total matches as a leader)`);
  const all: number[] = [];
  for (const [who, personId] of [
    ['leader (局长)', 'wang-jianguo'],
    ['staff (科员)', 'xu-liang'],
  ] as const) {
    const rows: string[] = [];
    const times: number[] = [];
    for (const q of [...QUERIES, ...known]) {
      const each: number[] = [];
      let total = 0;
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        const result = await searchCases(deps, { personId, groups: [] }, { q, sort: 'relevance', limit: 20 });
        each.push(performance.now() - t);
        total = result.total;
      }
      times.push(...each);
      rows.push(`| ${q} | ${ms(quantile(each, 0.5))} | ${ms(quantile(each, 0.95))} | ${total} |`);
    }
    all.push(...times);
    console.log(`\n### As ${who}: p50 ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}\n| query | p50 | p95 | found |\n|---|---|---|---|\n${rows.join('\n')}`);
  }
  console.log(`\nAll queries: p50 ${ms(quantile(all, 0.5))}, p95 ${ms(quantile(all, 0.95))} (goal p95 ≤ 300 ms)`);
}

function oneChange(shards: Map<number, SearchShard>) {
  const shard = shards.get(LAST_YEAR)!;
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const { facts } = generatedCase(r, LAST_YEAR);
    shard.put({ ...facts, opinions: [...facts.opinions, { id: 'new', at: '', actorName: '陈志强', text: '同意，请财务科办理。' }] });
    gzipSync(shard.serialize(), { level: 1 });
    times.push(performance.now() - t);
  }
  console.log(`\n## The indexer: one change to the ${LAST_YEAR} shard (${shard.caseCount.toLocaleString()} cases) and storing it again: median ${ms(quantile(times, 0.5))}`);
}

async function decisionToFindable() {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
  const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  try {
    const api = apiClient(system.urls.api);
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const c = await api.open('xu-liang', 'leave', `事假申请${r}`, { leaveType: 'personal', startDate: '2026-12-01', endDate: '2026-12-01', days: 1, reason: '办理个人事务' });
      const current = await api.settled('xu-liang', c.id);
      const word = `核对考勤${'甲乙丙丁戊'[r]}${'子丑寅卯辰'[r]}`;
      const t = performance.now();
      const acted = await api.post('xu-liang', `/api/cases/${c.id}/actions`, { version: current.body.version, action: 'comment', comment: `请${word}后再报` });
      if (acted.status !== 200) throw new Error(JSON.stringify(acted.body));
      for (;;) {
        const found = await api.get('xu-liang', `/api/search?q=${encodeURIComponent(word)}`);
        if (found.body.total > 0) break;
        if (performance.now() - t > 60_000) throw new Error('not findable within 60 s');
        await new Promise((r) => setTimeout(r, 25));
      }
      times.push(performance.now() - t);
    }
    console.log(`\n## From a decision to its opinion being found (local system, stream polled every 200 ms): median ${ms(quantile(times, 0.5))}, max ${ms(Math.max(...times))}`);
  } finally {
    await system.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

const { shards } = await indexAtScale();
await queries(shards);
oneChange(shards);
for (const shard of shards.values()) shard.close();
shards.clear();
await decisionToFindable();
