/** What one person may add to a case besides decisions: comments and downloads are bounded. */
import { describe, expect, it } from 'vitest';
import { ACTIVITY_LIMITS } from '../../functions/domain/cases/activity.ts';
import { attachFile, recordDownload } from '../../functions/domain/cases/engine.ts';
import { isSlipEntry } from '../../functions/domain/cases/trail.ts';
import { givenCase } from '../support/engine.ts';

const leave = { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '家中有事' };
const HOUR = 3_600_000;

describe('activity limits', () => {
  it(`takes ${ACTIVITY_LIMITS.commentsPerHour} comments an hour from one person, then refuses with 429 until the next hour`, () => {
    const c = givenCase('leave', 'xu-liang', leave);
    for (let i = 0; i < ACTIVITY_LIMITS.commentsPerHour; i++) c.act('zhou-tao', { action: 'comment', comment: `意见 ${i}` });
    expect(() => c.act('zhou-tao', { action: 'comment', comment: '再来一条' })).toThrow(expect.objectContaining({ name: 'RateLimitedError', code: 'rate-limited', field: 'comment' }));
    // Someone else may still comment; the same person in the next hour too.
    c.act('xu-liang', { action: 'comment', comment: '申请人补充说明' });
    c.advanceClock(HOUR);
    c.act('zhou-tao', { action: 'comment', comment: '下一小时' });
    expect(c.trail.filter((e) => e.action === 'comment')).toHaveLength(ACTIVITY_LIMITS.commentsPerHour + 2);
  });

  it(`refuses a person’s comment past ${ACTIVITY_LIMITS.commentsPerCase} on one case with 422, however slowly they come`, () => {
    const c = givenCase('leave', 'xu-liang', leave);
    for (let i = 0; i < ACTIVITY_LIMITS.commentsPerCase; i++) {
      if (i > 0 && i % ACTIVITY_LIMITS.commentsPerHour === 0) c.advanceClock(HOUR);
      c.act('zhou-tao', { action: 'comment', comment: `意见 ${i}` });
    }
    c.advanceClock(HOUR);
    expect(() => c.act('zhou-tao', { action: 'comment', comment: '超出' })).toThrow(expect.objectContaining({ name: 'UnprocessableError', code: 'too-many-comments' }));
  });

  it(`takes ${ACTIVITY_LIMITS.downloadsPerHour} downloads an hour from one person`, () => {
    const c = givenCase('leave', 'xu-liang', leave);
    let current = attachFile(c.case, c.ctx(), 'xu-liang', { id: 'a1', fileName: '病历.pdf', contentType: 'application/pdf', size: 10, sha256: 'f'.repeat(64), key: 'attachments/C1/a1' }).case;
    for (let i = 0; i < ACTIVITY_LIMITS.downloadsPerHour; i++) current = recordDownload(current, c.ctx(), 'zhou-tao', 'a1').case;
    expect(() => recordDownload(current, c.ctx(), 'zhou-tao', 'a1')).toThrow(expect.objectContaining({ name: 'RateLimitedError', retryAfterSeconds: expect.any(Number) }));
  });

  it(`holds at most ${ACTIVITY_LIMITS.attachmentsPerCase} files, versions included`, () => {
    const c = givenCase('leave', 'xu-liang', leave);
    const file = (i: number) => ({ id: `a${i}`, fileName: `扫描${i}.pdf`, contentType: 'application/pdf', size: 10, sha256: 'f'.repeat(64), key: `attachments/C1/a${i}` });
    let current = c.case;
    for (let i = 0; i < ACTIVITY_LIMITS.attachmentsPerCase; i++) current = attachFile(current, c.ctx(), 'xu-liang', file(i)).case;
    expect(() => attachFile(current, c.ctx(), 'xu-liang', file(9999))).toThrow(expect.objectContaining({ code: 'too-many-files' }));
  });

  it('keeps decisions and the steps passed for the routing slip, and leaves comments, downloads and chases to the trail', () => {
    const c = givenCase('leave', 'xu-liang', leave);
    c.act('zhou-tao', { action: 'comment', comment: '请补充' });
    c.act('zhou-tao', { action: 'approve', comment: '同意' });
    const slip = c.trail.filter(isSlipEntry).map((e) => e.action);
    expect(slip).toEqual(expect.arrayContaining(['submit', 'enter', 'approve']));
    expect(slip).not.toContain('comment');
  });

  it('circulates only to people who do not have it to read, once per person however often, and bounds how often a person sends a case on', () => {
    const c = givenCase('leave', 'xu-liang', leave);
    c.act('zhou-tao', { action: 'circulate', people: ['wu-min'] });
    expect(() => c.act('zhou-tao', { action: 'circulate', people: ['wu-min'] })).toThrow(expect.objectContaining({ code: 'already-reading', field: 'people' }));
    // Read, then sent again: still one entry for her.
    c.act('wu-min', { action: 'mark-read' });
    c.act('zhou-tao', { action: 'copy', people: ['wu-min', 'ma-chao'] });
    expect(c.case.readers.filter((r) => r.personId === 'wu-min')).toHaveLength(1);
    const others = ['liu-fang', 'huang-li', 'zhao-lei', 'yang-jing', 'hu-jun', 'sun-wei', 'zhu-hong', 'chen-zhiqiang'];
    let sent = 2;
    for (let i = 0; sent < ACTIVITY_LIMITS.routingPerHour; i++, sent++) {
      const person = others[i % others.length]!;
      if (c.case.readers.some((r) => r.personId === person && !r.readAt)) c.act(person, { action: 'mark-read' });
      c.act('zhou-tao', { action: 'circulate', people: [person] });
    }
    c.act('liu-fang', { action: 'mark-read' });
    expect(() => c.act('zhou-tao', { action: 'circulate', people: ['liu-fang'] })).toThrow(expect.objectContaining({ name: 'RateLimitedError', field: 'people' }));
  });
});
