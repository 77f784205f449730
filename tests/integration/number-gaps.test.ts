/**
 * 断号报告 against DynamoDB Local: numbers drawn from the real counters, some used, one voided,
 * one lost between allocation and recording; the report reads them back from the table.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../functions/adapters/deps.ts';
import { archiveCounter } from '../../functions/domain/archive/archive.ts';
import { numberGaps } from '../../functions/domain/archive/number-gaps.ts';
import type { Deps, NumberUse } from '../../functions/domain/ports.ts';
import { handler } from '../../functions/handlers/http/number-gaps.ts';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
/** Monday 2 March 2026, 10:00 in China. */
const MONDAY_10AM = Date.parse('2026-03-02T02:00:00Z');
const archivist = { personId: 'huang-li', groups: [] };

/** GET /api/archive/gaps as API Gateway hands it to the function, signed in as `personId`. */
async function get(personId: string, query: Record<string, string>) {
  const event = {
    version: '2.0',
    routeKey: 'GET /api/archive/gaps',
    rawPath: '/api/archive/gaps',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    requestContext: { http: { method: 'GET', path: '/api/archive/gaps' }, authorizer: { jwt: { claims: { token_use: 'id', 'cognito:username': personId } } } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
}

describe('the 断号 report on DynamoDB Local', () => {
  const clock = new ManualClock(MONDAY_10AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let deps: Deps;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    deps = defaultDeps();
    // 示事管函 2026: five numbers handed out; 1, 2 and 4 used, 3 voided, 5 lost before it was recorded.
    const letters: NumberUse[] = [];
    for (let i = 0; i < 5; i++) letters.push(await deps.numbering.allocate('示事管函', 2026));
    for (const n of [letters[0]!, letters[1]!, letters[3]!]) await deps.numbering.record(n, { title: `关于${n.sequence}号事项的函`, by: 'liu-fang' });
    await deps.numbering.void(letters[2]!, '文件撤销 Document withdrawn', 'liu-fang');
    // 件号 2026, 30 years, 信访科: two items, both filed.
    const items = [await deps.numbering.allocate(archiveCounter('30y', 'petitions'), 2026), await deps.numbering.allocate(archiveCounter('30y', 'petitions'), 2026)];
    for (const n of items) await deps.numbering.record(n, { title: `信访件 ${n.sequence}`, by: 'huang-li' });
  });
  afterAll(() => system?.stop());

  it('reads each sequence back in order: the void with its reason, the lost number as a gap', async () => {
    const { last, records } = await deps.numbering.uses('示事管函', 2026);
    expect(last).toBe(5);
    expect(records.map((r) => [r.sequence, r.status])).toEqual([[1, 'used'], [2, 'used'], [3, 'void'], [4, 'used']]);

    const report = await numberGaps(deps, archivist, 2026);
    expect(report.sequences.map((s) => s.label.zh)).toEqual(['发文字号：示事管函', '件号：2026-30年-信访科']);
    expect(report.sequences[0]).toMatchObject({ kind: '示事管函', year: 2026, first: 1, last: 5, used: 3, voided: 1, missing: 1, gaps: [{ from: 5, to: 5 }] });
    expect(report.sequences[0]!.voids).toEqual([
      { sequence: 3, number: '示事管函〔2026〕3号', reason: '文件撤销 Document withdrawn', by: 'liu-fang', byName: '刘芳', at: '2026-03-02T02:00:00.000Z' },
    ]);
    expect(report.sequences[1]).toMatchObject({ kind: 'ARCHIVE-D30-petitions', first: 1, last: 2, used: 2, voided: 0, gaps: [], voids: [] });
    expect(report.total).toEqual({ sequences: 2, gaps: 1, voids: 1 });
    // Counters are per year: 2025 handed out nothing.
    expect(await numberGaps(deps, archivist, 2025)).toEqual({ year: 2025, sequences: [], total: { sequences: 0, gaps: 0, voids: 0 } });
  });

  it('is refused to a staff member, and the HTTP route says so in Chinese first', async () => {
    await expect(numberGaps(deps, { personId: 'xu-liang', groups: [] }, 2026)).rejects.toMatchObject({ name: 'ForbiddenError', message: expect.stringMatching(/^断号报告仅供.*。The number-gap report/) });
    const refused = await get('xu-liang', { year: '2026' });
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(String(refused.body)).error.code).toBe('forbidden');
  });

  it('GET /api/archive/gaps: JSON for this year by default, an XLSX to keep, a year out of range refused by name', async () => {
    const json = await get('liu-fang', {});
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(String(json.body)).total).toEqual({ sequences: 2, gaps: 1, voids: 1 });

    const xlsx = await get('huang-li', { year: '2026', format: 'xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers?.['Content-Disposition']).toContain(encodeURIComponent('断号报告-2026年.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(String(xlsx.body), 'base64') as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('断号报告（2026年）');
    const lines = sheet.getRows(3, sheet.rowCount - 2)!.map((r) => [r.getCell(2).value, r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(7).value]);
    expect(lines).toEqual([
      ['发文字号：示事管函', '已用', 1, 5, '共编 5 个：已用 3 个，作废 1 个，断号 1 个'],
      ['发文字号：示事管函', '作废', 3, 3, '文件撤销 Document withdrawn'],
      ['发文字号：示事管函', '断号', 5, 5, '未使用也未登记作废'],
      ['件号：2026-30年-信访科', '已用', 1, 2, '共编 2 个：已用 2 个，作废 0 个，断号 0 个'],
    ]);

    const early = await get('huang-li', { year: '1999' });
    expect(early.statusCode).toBe(400);
    expect(JSON.parse(String(early.body)).error).toMatchObject({ code: 'validation', field: 'year', message: expect.stringMatching(/^年份（year）须为/) });
    const pdf = await get('huang-li', { format: 'pdf' });
    expect(JSON.parse(String(pdf.body)).error).toMatchObject({ field: 'format', message: expect.stringMatching(/^格式（format）须为/) });
  });
});
