/**
 * bench/numbering: document numbers (编号) under a rush of sign-offs through the API. CASES 发文
 * are drafted and checked (核稿), then all signed (签发) at once; each sign-off's execution numbers
 * its document. Prints numbers per second, from the first sign-off sent to the last number
 * recorded, against the goal (≥ 200/s), and checks what must hold whatever the speed: every
 * document one number, all distinct and consecutive from 1 but for the numbers recorded void.
 * Also prints the CPU a number took (bench/load.ts: cpuPerUnit), and so the most a second the
 * machine's cores could number at that cost.
 *   npm run bench:numbering           CASES=1000
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/dynamodb/keys.ts';
import { queryAll } from '../functions/adapters/dynamodb/query-all.ts';
import { demoOrg } from '../functions/domain/org/demo-org.ts';
import { numberingYear } from '../functions/domain/numbering/document-number.ts';
import { apiClient } from '../tests/support/api.ts';
import { outgoingDocument } from '../tests/support/case-fields.ts';
import { benchSystem, cpuPerUnit, cpuTimes, inPool, percentile, seconds } from './load.ts';

const CASES = Number(process.env.CASES ?? 1000);
const GOAL_PER_SECOND = 200;
/** How many people draft and check at once while the documents are prepared (not measured). */
const PREPARING = 8;

const { system, stop } = await benchSystem();
const api = apiClient(system.urls.api);
const people = { drafter: 'xu-liang', checker: 'chen-zhiqiang', signer: 'li-minghua' };
for (const user of Object.values(people)) await api.login(user);
// The bench's own reads, outside the handlers.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));

// A 字 document without countersigning: drafted, checked by the office director, signed by the leader.
const kind = `${demoOrg.agencyCode}字`;
const year = numberingYear(Date.now());
const fields = outgoingDocument({ docKind: '字', coDepartments: [] });

const prepareStarted = performance.now();
const prepared = await inPool(Array.from({ length: CASES }, (_, i) => i), PREPARING, async (i) => {
  const opened = await api.post(people.drafter, '/api/cases', { type: 'outgoing-document', title: `关于压力测试的函 ${i + 1}`, fields });
  if (opened.status !== 201) throw new Error(`drafting: ${opened.status} ${JSON.stringify(opened.body)}`);
  const checked = await api.post(people.checker, `/api/cases/${opened.body.id}/actions`, { action: 'approve', version: opened.body.version, comment: '核稿' });
  if (checked.status !== 200) throw new Error(`checking ${opened.body.id}: ${checked.status} ${JSON.stringify(checked.body)}`);
  return { id: opened.body.id as string, version: checked.body.version as number };
});
console.log(`  ${CASES} documents drafted and checked in ${seconds(performance.now() - prepareStarted)} (not measured)`);

/** The number records of the kind and year: used and void. */
async function records(): Promise<{ sequence: number; status: string; number: string }[]> {
  const out: { sequence: number; status: string; number: string }[] = [];
  const query = { TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.number(kind, year, 0).pk }, ConsistentRead: true };
  for await (const item of queryAll(documents, query)) out.push(item as { sequence: number; status: string; number: string });
  return out;
}

// Every sign-off at once, as a leader signing a stack of documents on a tablet would not, but a
// year-end rush of many leaders might.
const signTimes: number[] = [];
const cpuBefore = cpuTimes();
const started = performance.now();
const signed = await Promise.all(
  prepared.map(async ({ id, version }) => {
    const t = performance.now();
    const response = await api.post(people.signer, `/api/cases/${id}/actions`, { action: 'approve', version, comment: '签发' });
    signTimes.push(performance.now() - t);
    return { id, status: response.status, body: response.body };
  }),
);
const refused = signed.filter((s) => s.status !== 200);
if (refused.length > 0) throw new Error(`${refused.length} sign-offs refused, e.g. ${JSON.stringify(refused[0])}`);
const allSigned = performance.now();

let used = 0;
const deadline = Date.now() + 10 * 60_000;
while (used < CASES && Date.now() < deadline) {
  used = (await records()).filter((r) => r.status === 'used').length;
  if (used < CASES) await new Promise((resolve) => setTimeout(resolve, 250));
}
const elapsed = performance.now() - started;
const cpuAfter = cpuTimes();

// What must hold: one number per document, distinct, consecutive from 1 with the voids recorded.
const all = (await records()).sort((a, b) => a.sequence - b.sequence);
const voids = all.filter((r) => r.status === 'void').length;
const consecutive = all.every((r, i) => r.sequence === i + 1);
const numbered = await inPool(prepared, PREPARING, async ({ id }) => (await api.get(people.drafter, `/api/cases/${id}`)).body.number as string | undefined);
const distinct = new Set(numbered.filter(Boolean)).size;
const usedNumbers = new Set(all.filter((r) => r.status === 'used').map((r) => r.number));
const matches = numbered.every((n) => n !== undefined && usedNumbers.has(n));
const perSecond = used / (elapsed / 1000);

console.log(`bench:numbering: ${CASES} 发文 signed at once (${kind}, ${year})`);
console.log(`  sign-offs            all answered in ${seconds(allSigned - started)}; p50 ${percentile(signTimes, 50).toFixed(0)} ms  p99 ${percentile(signTimes, 99).toFixed(0)} ms`);
console.log(`  numbers recorded     ${used} used, ${voids} void, in ${seconds(elapsed)}`);
console.log(`  numbers per second   ${perSecond.toFixed(1)}   goal ≥ ${GOAL_PER_SECOND}   ratio ${(GOAL_PER_SECOND / perSecond).toFixed(2)} (under 1.00 meets it)`);
console.log(cpuPerUnit(cpuBefore, cpuAfter, used, 'number'));
console.log(`  every document one number: ${distinct === CASES && matches ? 'yes' : 'NO'} (${distinct} distinct); consecutive from 1 with voids recorded: ${consecutive ? 'yes' : 'NO'}`);
await stop();
process.exit(distinct === CASES && matches && consecutive && used === CASES ? 0 : 1);
