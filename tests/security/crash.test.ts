/**
 * Attack: pull the plug. `npm start`'s program runs in a child process with a data folder; a burst
 * of writes (new cases, comments on them) is under way when it is killed with SIGKILL. After a
 * restart every write that was acknowledged (2xx) is there, and nothing is half-written: no case
 * without its trail, no trail entry or inbox item without its case at that version.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, givenDataFolder } from '../support/spawn-system.ts';
import { Figures, LOCAL_CREDENTIALS, TABLE, attacker, leaveFields } from './support.ts';

const WORKERS = 8;
/** Acknowledged writes before the kill; the others are in flight or not yet sent. */
const KILL_AFTER = 40;

describe('attack: kill -9 in the middle of a burst of writes', () => {
  const figures = new Figures();
  const folder = givenDataFolder('bangong-crash-');
  afterAll(() => folder.cleanUp());

  it(`after SIGKILL with writes in flight and a restart, every acknowledged write is there and nothing is half-written`, async () => {
    const first = await folder.start();
    const api = attacker(first.urls.api, figures);
    await Promise.all(['xu-liang', 'wu-min', 'zhou-tao'].map((p) => api.token(p)));

    const created: { id: string; by: string }[] = [];
    const comments: { id: string; comment: string }[] = [];
    let acknowledged = 0;
    let inFlightAtKill = 0;
    let inFlight = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      first.child.kill('SIGKILL');
    };
    const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      if (killed) return undefined;
      inFlight++;
      try {
        return await work();
      } catch {
        return undefined; // the connection died with the process: not acknowledged
      } finally {
        inFlight--;
      }
    };
    const acknowledge = () => {
      if (++acknowledged >= KILL_AFTER) kill();
    };

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const applicant = w % 2 === 0 ? 'xu-liang' : 'wu-min';
        for (let round = 0; !killed && round < 50; round++) {
          const opened = await attempt(() => api.post(applicant, '/api/cases', { type: 'leave', title: `断电测试 ${w}-${round}`, fields: leaveFields() }));
          if (!opened || opened.status !== 201) continue;
          created.push({ id: opened.body.id, by: applicant });
          acknowledge();
          let version = opened.body.version as number;
          for (let n = 0; !killed && n < 2; n++) {
            const comment = `断电前意见 ${w}-${round}-${n}`;
            const said = await attempt(() => api.post('zhou-tao', `/api/cases/${opened.body.id}/actions`, { action: 'comment', version, comment }));
            if (!said) break;
            if (said.status === 409) version = (await attempt(() => api.get('zhou-tao', `/api/cases/${opened.body.id}`)))?.body?.version ?? version;
            if (said.status !== 200) continue;
            version = said.body.version;
            comments.push({ id: opened.body.id, comment });
            acknowledge();
          }
        }
      }),
    );
    expect(killed, 'the burst was cut short by the kill').toBe(true);
    await exited(first.child);
    // The emulator's watchdog ends with its parent: nobody else holds the database when it restarts.
    const old = new DynamoDBClient({ endpoint: first.urls.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    await expect.poll(() => old.send(new ListTablesCommand({})).then(() => 'up', () => 'gone'), { timeout: 15_000 }).toBe('gone');
    old.destroy();

    const second = await folder.start();
    const after = attacker(second.urls.api, figures);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: second.urls.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
    const items: Record<string, any>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    db.destroy();

    const cases = new Map(items.filter((i) => String(i.pk).startsWith('CASE#') && i.sk === 'CASE').map((i) => [String(i.pk).slice(5), i.data]));
    const trail = items.filter((i) => String(i.pk).startsWith('CASE#') && String(i.sk).startsWith('TRAIL#'));
    const tasks = items.filter((i) => String(i.pk).startsWith('CASE#') && String(i.sk).startsWith('TASK#'));

    // Every acknowledged write is there.
    const lostCases = created.filter((c) => !cases.has(c.id));
    expect(lostCases, 'acknowledged cases lost').toEqual([]);
    const lostComments = comments.filter((c) => !trail.some((t) => t.pk === `CASE#${c.id}` && t.entry?.comment === c.comment));
    expect(lostComments, 'acknowledged comments lost').toEqual([]);

    // Nothing half-written: each case has its submission in the trail; each trail entry and inbox item has its case, at a version it has reached.
    const halfWritten: string[] = [];
    for (const id of cases.keys()) {
      if (!trail.some((t) => t.pk === `CASE#${id}` && t.entry?.action === 'submit')) halfWritten.push(`case ${id} without its trail`);
    }
    for (const t of trail) {
      const id = String(t.pk).slice(5);
      const version = Number(String(t.sk).split('#')[1]);
      const c = cases.get(id);
      if (!c) halfWritten.push(`trail entry ${t.pk} ${t.sk} without its case`);
      else if (version > c.version) halfWritten.push(`trail entry ${t.pk} ${t.sk} after its case's version ${c.version}`);
    }
    for (const t of tasks) if (!cases.has(String(t.pk).slice(5))) halfWritten.push(`inbox item ${t.pk} ${t.sk} without its case`);
    expect(halfWritten).toEqual([]);

    // And the API agrees, and still takes writes on what was there.
    for (const c of created.slice(0, 5)) {
      const view = await after.get(c.by, `/api/cases/${c.id}`);
      expect(view.status, view.what).toBe(200);
      for (const said of comments.filter((x) => x.id === c.id)) expect(view.body.trail.map((e: any) => e.comment)).toContain(said.comment);
      const more = await after.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'comment', version: view.body.version, comment: '重启后意见' });
      expect(more.status, more.what).toBe(200);
    }
    figures.crashes++;
    figures.extra['acknowledged before the kill'] = acknowledged;
    figures.extra['in flight at the kill'] = inFlightAtKill;
    figures.extra['cases found after restart'] = cases.size;
    figures.print('crash');
    expect(figures.serverErrors).toEqual([]);
    expect(acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(inFlightAtKill, 'writes were in flight when the process died').toBeGreaterThan(0);
  }, 150_000);
});
