/**
 * bench/cost: what a case costs in AWS. Walks leave, 收文 (incoming document), 发文 (outgoing
 * document), 信访 (petition) and a 督办 (supervision) chased twice through the local system, as
 * the people of the demo org would, and counts per case:
 *   - Step Functions state transitions (StateEntered events in each execution's history);
 *   - Lambda invocations and GB-seconds (each handler's run time in process, at its configured
 *     memory: an upper bound, as the emulators answer more slowly than AWS);
 *   - DynamoDB calls, and their read and write units as DynamoDB Local reports them (indexes
 *     included), and how many of the write units went to each index's copies;
 *   - API requests and emails;
 *   - EventBridge Scheduler invocations: each chase the case ran (a step's next chase is a one-time
 *     schedule calling ChaseCase), and the chases still armed when it ended, which will fire later
 *     and find nothing to do (estimated: one invocation, one Lambda request of 100 ms and one
 *     strongly consistent read of up to 4 KB each; removed once counted, so that a later walk
 *     moving the clock does not run them).
 * The schedules (overdue sweep, daily digest, recurring obligations) are left out: they cost the
 * office per day, whatever its number of cases.
 * It prints $ per 1,000 cases at the us-east-1 prices below, and the ratio to the goals
 * (leave ≤ $0.20, 收文 and 发文 ≤ $0.50 per 1,000).
 *   npm run bench:cost                CASES=3 (cases walked per process), ONLY=leave,supervision
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/dynamodb/keys.ts';
import { ManualClock } from '../local/clock.ts';
import { startLocalSystem } from '../local/system.ts';
import { topology, type FunctionSpec } from '../infra/topology.ts';
import { apiClient } from '../tests/support/api.ts';
import { incomingDocument, outgoingDocument, petition } from '../tests/support/case-fields.ts';
import { meterDynamoDb, type Call } from './dynamodb-meter.ts';

const CASES = Number(process.env.CASES ?? 3);
const ONLY = process.env.ONLY?.split(',');

/** us-east-1 list prices (on-demand, no free tier), November 2026. */
const PRICE = {
  transition: 0.025 / 1000, // Step Functions Standard
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334, // the functions run on arm64 (infra/constructs/office-function.ts)
  lambdaGbSecondX86: 0.0000166667,
  writeUnit: 0.625 / 1e6, // DynamoDB on-demand write request unit
  readUnit: 0.125 / 1e6,
  apiRequest: 1.0 / 1e6, // HTTP API
  email: 0.1 / 1000, // SES
  scheduledInvocation: 1.0 / 1e6, // EventBridge Scheduler (its API calls are free)
};
const GOALS: Record<string, number> = { leave: 0.2, 'incoming-document': 0.5, 'outgoing-document': 0.5 };
const DEFAULT_MEMORY_MB = 512;

const shanghai = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+08:00`);
const clock = new ManualClock(shanghai('2026-11-23', '09:00'));
const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));

interface Invocation {
  readonly spec: FunctionSpec;
  readonly ms: number;
}
const invocations: Invocation[] = [];
const calls: Call[] = [];
let requests = 0;

// Without the schedules: the overdue sweep, the daily digest and the recurring obligations are the
// office's cost per day, whatever its cases; a case's own chases are one-time schedules it arms.
const system = await startLocalSystem({ s3Dir, clock, topology: { ...topology, schedules: [] }, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 }, onInvoke: (spec, ms) => invocations.push({ spec, ms }) });
meterDynamoDb(calls);
system.gateway.on('request', () => requests++);
const api = apiClient(system.urls.api);
// The bench's own reads, outside the handlers' metered client.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
const sfn = new SFNClient({ endpoint: system.urls.stepfunctions, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** Waits until nothing has run for a while: executions waiting, stream consumers done. */
async function quiet(): Promise<void> {
  let seen = -1;
  while (seen !== invocations.length + calls.length) {
    seen = invocations.length + calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** State transitions of the executions of these cases (a case's executions are named after it). */
async function transitions(ids: readonly string[]): Promise<number> {
  let count = 0;
  for (const stateMachineArn of Object.values(system.stateMachines)) {
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
    for (const e of executions ?? []) {
      if (!ids.some((id) => e.name!.startsWith(id))) continue;
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn!, nextToken, maxResults: 1000 }));
        count += (page.events ?? []).filter((event) => String(event.type).endsWith('StateEntered')).length;
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
  return count;
}

/**
 * A person's decision as the web form makes it: the case page (GET), then the action (POST), once
 * the system is quiet (no polling: every request counted is one a person would make).
 */
async function act(user: string, id: string, command: Record<string, unknown>): Promise<void> {
  await quiet();
  const page = await api.get(user, `/api/cases/${id}`);
  const response = await api.post(user, `/api/cases/${id}/actions`, { version: page.body.version, ...command });
  if (response.status !== 200) throw new Error(`${user} ${command.action} on ${id}: ${response.status} ${JSON.stringify(response.body)}`);
}

async function open(user: string, type: string, title: string, fields: Record<string, unknown>): Promise<{ id: string }> {
  const response = await api.post(user, '/api/cases', { type, title, fields });
  if (response.status !== 201) throw new Error(`${user} opening ${type}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The applicant sees the case completed (one page view). */
async function completed(user: string, id: string): Promise<void> {
  await quiet();
  const page = await api.get(user, `/api/cases/${id}`);
  if (page.body.status !== 'completed') throw new Error(`case ${id} is ${page.body.status} at ${page.body.currentStep}`);
}

type Decision = readonly [user: string, command: Record<string, unknown>];

/**
 * A walk: who opens which case, then each decision in turn, until the applicant sees it completed.
 * `meanwhile` runs between the opening and the first decision (days passing, for the chases).
 */
interface Walk {
  readonly label: string;
  readonly applicant: string;
  readonly type: string;
  readonly title: string;
  readonly fields: (n: number) => Record<string, unknown>;
  readonly decisions: readonly Decision[];
  readonly meanwhile?: (id: string) => Promise<void>;
}

const approve = (more: Record<string, unknown> = {}) => ({ action: 'approve', ...more });

/** Days pass until the case's step has been chased twice (before its deadline, then after). */
async function chasedTwice(id: string): Promise<void> {
  // The trail is read from the table, not through the API, so as not to count it.
  const chases = async () => {
    const { Items } = await documents.send(
      new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trail)', ExpressionAttributeValues: { ':pk': keys.case(id).pk, ':trail': keys.trailPrefix } }),
    );
    return (Items ?? []).filter((item) => ['remind-before', 'remind'].includes(item.entry?.action)).length;
  };
  for (let day = 0; (await chases()) < 2; day++) {
    if (day === 30) throw new Error(`case ${id} was not chased twice within 30 days`);
    await quiet();
    await clock.advance(86_400_000);
  }
}

const walks: Record<string, Walk> = {
  leave: {
    label: 'leave (请假, 2 days)',
    applicant: 'xu-liang',
    type: 'leave',
    title: '徐亮事假2天',
    fields: () => ({ leaveType: 'personal', startDate: '2026-11-26', endDate: '2026-11-27', days: 2, reason: '家中有事' }),
    decisions: [
      ['zhou-tao', approve({ comment: '同意' })],
      ['li-minghua', approve({ comment: '同意' })],
    ],
  },
  'incoming-document': {
    label: '收文 (incoming document)',
    applicant: 'liu-fang',
    type: 'incoming-document',
    title: '关于开展年终安全检查的通知',
    fields: (n) => incomingDocument({ docNumber: `市机管发〔2026〕${45 + n}号` }),
    decisions: [
      ['liu-fang', approve({ comment: '已登记' })],
      ['chen-zhiqiang', approve({ fields: { handlingDepartments: ['admin-affairs'], dueDate: '2026-11-27', proposal: '拟请行政事务科办理' } })],
      ['zhang-xiuying', approve({ fields: { instruction: '同意拟办意见' } })],
      ['sun-wei', approve({ fields: { handlingProcess: '组织全局安全检查', handlingResult: '检查完毕' } })],
      ['liu-fang', approve({ comment: '办结' })],
    ],
  },
  'outgoing-document': {
    label: '发文 (outgoing document)',
    applicant: 'xu-liang',
    type: 'outgoing-document',
    title: '关于2027年度部门预算编制工作的通知',
    fields: () => outgoingDocument(),
    decisions: [
      ['sun-wei', approve({ comment: '会稿无意见' })],
      ['chen-zhiqiang', approve({ comment: '核稿' })],
      ['li-minghua', approve({ comment: '签发' })],
      ['xu-liang', approve({ comment: '校对无误' })],
      ['liu-fang', approve({ comment: '复核样稿' })],
      ['xu-liang', approve({ fields: { printedCopies: 20 } })],
      ['zhao-lei', approve({ fields: { stampCount: 20 } })],
      ['liu-fang', approve({ comment: '已封发', fields: { dispatchMethod: 'paper' } })],
    ],
  },
  petition: {
    label: '信访 (petition)',
    applicant: 'hu-jun',
    type: 'petition',
    title: '来信反映小区物业服务问题',
    fields: () => petition(),
    decisions: [
      ['hu-jun', approve({ comment: '已登记' })],
      ['zhu-hong', approve({ comment: '予以受理' })],
      ['sun-wei', approve({ comment: '同意承办' })],
      ['sun-wei', approve({ fields: { result: '已约谈物业公司，限期整改' } })],
      ['zhang-xiuying', approve({ comment: '同意答复意见' })],
      ['hu-jun', approve({ fields: { repliedOn: '2026-11-23' } })],
    ],
  },
  supervision: {
    label: '督办 (supervision), chased twice',
    applicant: 'chen-zhiqiang',
    type: 'supervision',
    title: '督办：年终安全检查整改',
    fields: () => ({ task: '完成办公楼消防隐患整改', method: '逐层排查，建立台账', responsible: 'ma-chao', deadline: '2026-11-27', leader: 'wang-jianguo' }),
    meanwhile: chasedTwice,
    decisions: [
      ['ma-chao', approve({ fields: { result: '整改隐患5处' } })],
      ['chen-zhiqiang', approve({ comment: '核查属实' })],
    ],
  },
};

/** Opens the n-th case of a walk and takes it to its end; returns its id. */
async function walk(w: Walk, n: number): Promise<string> {
  const { id } = await open(w.applicant, w.type, `${w.title} ${n}`, w.fields(n));
  await w.meanwhile?.(id);
  for (const [user, command] of w.decisions) await act(user, id, command);
  await completed(w.applicant, id);
  return id;
}

const dollars = (value: number) => `$${value.toFixed(3)}`;
try {
  for (const [type, w] of Object.entries(walks).filter(([type]) => !ONLY || ONLY.includes(type))) {
    await quiet();
    const before = { invocations: invocations.length, calls: calls.length, requests, emails: system.outbox.list().length };
    let stateTransitions = 0;
    let leftChases = 0;
    for (let n = 1; n <= CASES; n++) {
      const id = await walk(w, n);
      await quiet();
      // Counted at once: the local endpoint keeps an ended execution's history for a day, and the next walk may move the clock on.
      stateTransitions += await transitions([id]);
      // Its chases still armed are counted (estimated below) and removed, so that moving the clock
      // in a later walk does not fire them there.
      for (const left of system.scheduler.pendingOneTime().filter((s) => (s.input as { caseId?: string }).caseId === id)) {
        system.scheduler.deleteOneTime(left.name);
        leftChases++;
      }
    }
    const mine = invocations.slice(before.invocations);
    const theirCalls = calls.slice(before.calls);
    const per = (value: number) => value / CASES;
    const steps = per(stateTransitions);
    const lambdas = per(mine.length);
    const gbSeconds = per(mine.reduce((sum, i) => sum + (Math.ceil(i.ms) / 1000) * ((i.spec.memoryMb ?? DEFAULT_MEMORY_MB) / 1024), 0));
    const lambdaGbPrice = (i: Invocation) => (i.spec.architecture === 'x86_64' ? PRICE.lambdaGbSecondX86 : PRICE.lambdaGbSecondArm);
    const gbCost = per(mine.reduce((sum, i) => sum + (Math.ceil(i.ms) / 1000) * ((i.spec.memoryMb ?? DEFAULT_MEMORY_MB) / 1024) * lambdaGbPrice(i), 0));
    const reads = per(theirCalls.reduce((sum, c) => sum + c.read, 0));
    const writes = per(theirCalls.reduce((sum, c) => sum + c.write, 0));
    const indexWrites: Record<string, number> = {};
    for (const c of theirCalls) for (const [index, units] of Object.entries(c.indexWrites)) indexWrites[index] = (indexWrites[index] ?? 0) + per(units);
    const apiCalls = per(requests - before.requests);
    const emails = per(system.outbox.list().length - before.emails);
    const chasesRun = per(mine.filter((i) => i.spec.entry.endsWith('/chase-case.ts')).length);
    const chasesLeft = per(leftChases);
    const cost = {
      'Step Functions': steps * PRICE.transition,
      Scheduler: (chasesRun + chasesLeft) * PRICE.scheduledInvocation + chasesLeft * (PRICE.lambdaRequest + 0.1 * (DEFAULT_MEMORY_MB / 1024) * PRICE.lambdaGbSecondArm + PRICE.readUnit),
      Lambda: lambdas * PRICE.lambdaRequest + gbCost,
      DynamoDB: reads * PRICE.readUnit + writes * PRICE.writeUnit,
      'API Gateway': apiCalls * PRICE.apiRequest,
      SES: emails * PRICE.email,
    };
    const total = Object.values(cost).reduce((a, b) => a + b, 0);
    const goal = GOALS[type];
    console.log(`${w.label}: ${CASES} cases`);
    console.log(`  per case: ${steps.toFixed(1)} transitions, ${lambdas.toFixed(1)} Lambda invocations (${gbSeconds.toFixed(2)} GB-s), ${per(theirCalls.length).toFixed(1)} DynamoDB calls (${reads.toFixed(1)} read / ${writes.toFixed(1)} write units), ${apiCalls.toFixed(1)} API requests, ${emails.toFixed(1)} emails, ${chasesRun.toFixed(1)} chases run and ${chasesLeft.toFixed(1)} left armed`);
    const indexed = Object.values(indexWrites).reduce((a, b) => a + b, 0);
    console.log(
      `  write units to indexes: ${indexed.toFixed(1)} of ${writes.toFixed(1)} (${Object.entries(indexWrites)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([index, units]) => `${index} ${units.toFixed(1)}`)
        .join(', ')})`,
    );
    const byFunction = new Map<string, { calls: number; gbSeconds: number }>();
    for (const i of mine) {
      const name = i.spec.entry.replace(/^.*\//, '').replace(/\.ts$/, '');
      const f = byFunction.get(name) ?? { calls: 0, gbSeconds: 0 };
      f.calls += 1;
      f.gbSeconds += (Math.ceil(i.ms) / 1000) * ((i.spec.memoryMb ?? DEFAULT_MEMORY_MB) / 1024);
      byFunction.set(name, f);
    }
    console.log(
      `  Lambda by function (calls, GB-s per case): ${[...byFunction]
        .sort(([, a], [, b]) => b.gbSeconds - a.gbSeconds)
        .map(([name, f]) => `${name} ${per(f.calls).toFixed(1)}× ${per(f.gbSeconds).toFixed(2)}`)
        .join(', ')}`,
    );
    console.log(
      `  per 1,000 cases: ${dollars(total * 1000)} (${Object.entries(cost)
        .map(([k, v]) => `${k} ${dollars(v * 1000)}, ${((v / total) * 100).toFixed(0)}%`)
        .join('; ')})${goal ? `; goal ${dollars(goal)}, ratio ${((total * 1000) / goal).toFixed(2)}` : ''}`,
    );
  }
} finally {
  sfn.destroy();
  documents.destroy();
  await system.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}
process.exit(0);
