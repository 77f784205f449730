/**
 * What one person may add to a case beyond the decisions that move it: comments and downloads each
 * leave a trail entry, scans a file, and sending it on (传阅、抄送、加签) an entry on the routing slip
 * and notifications. Bounded so that nobody, by mistake or on purpose, can bury a case under
 * entries, files or readers: a burst is refused for the rest of the hour (429), a case's total (422).
 */
import { RateLimitedError, UnprocessableError } from '../errors.ts';
import type { Activity, CaseRecord } from './case.ts';

export const ACTIVITY_LIMITS = {
  /** Comments one person may add to one case in an hour. */
  commentsPerHour: 20,
  /** Comments one person may add to one case in all. */
  commentsPerCase: 200,
  /** Downloads of a case's scans one person may make in an hour (each is in the trail). */
  downloadsPerHour: 60,
  /** Scans (with their versions) one case may hold. */
  attachmentsPerCase: 300,
  /** Times one person may send a case on (circulate, copy, add signers) in an hour, and in all. */
  routingPerHour: 20,
  routingPerCase: 100,
  /** People one case may be circulated or copied to. */
  readersPerCase: 500,
} as const;

function secondsToNextHour(at: string): number {
  const now = Date.parse(at);
  return Math.max(1, Math.ceil((Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000 - now) / 1000));
}

function activityOf(c: CaseRecord, personId: string, at: string): Activity {
  const hour = at.slice(0, 13);
  const current = c.activity?.[personId];
  const activity: Activity =
    current && current.hour === hour
      ? { ...current }
      : { hour, commentsThisHour: 0, downloadsThisHour: 0, routingThisHour: 0, comments: current?.comments ?? 0, routing: current?.routing ?? 0 };
  c.activity = { ...c.activity, [personId]: activity };
  return activity;
}

/** Counts a comment on `c` (a working copy), or refuses it. */
export function countComment(c: CaseRecord, personId: string, at: string): void {
  const activity = activityOf(c, personId, at);
  if (activity.comments >= ACTIVITY_LIMITS.commentsPerCase) {
    throw new UnprocessableError(
      'too-many-comments',
      `您在此件上的意见已达 ${ACTIVITY_LIMITS.commentsPerCase} 条上限。You have reached the limit of ${ACTIVITY_LIMITS.commentsPerCase} comments on this case.`,
      'comment',
    );
  }
  if (activity.commentsThisHour >= ACTIVITY_LIMITS.commentsPerHour) {
    throw new RateLimitedError(
      `一小时内最多发表 ${ACTIVITY_LIMITS.commentsPerHour} 条意见，请稍后再试。At most ${ACTIVITY_LIMITS.commentsPerHour} comments an hour: try again later.`,
      secondsToNextHour(at),
      'comment',
    );
  }
  activity.comments++;
  activity.commentsThisHour++;
}

/** Counts a download from `c` (a working copy), or refuses it. */
export function countDownload(c: CaseRecord, personId: string, at: string): void {
  const activity = activityOf(c, personId, at);
  if (activity.downloadsThisHour >= ACTIVITY_LIMITS.downloadsPerHour) {
    throw new RateLimitedError(
      `一小时内最多下载 ${ACTIVITY_LIMITS.downloadsPerHour} 次，请稍后再试。At most ${ACTIVITY_LIMITS.downloadsPerHour} downloads an hour: try again later.`,
      secondsToNextHour(at),
    );
  }
  activity.downloadsThisHour++;
}

/** Refuses a new scan once the case holds as many as a case may. */
export function checkRoomForFile(c: Pick<CaseRecord, 'attachments'>): void {
  if ((c.attachments?.length ?? 0) >= ACTIVITY_LIMITS.attachmentsPerCase) {
    throw new UnprocessableError(
      'too-many-files',
      `每件最多 ${ACTIVITY_LIMITS.attachmentsPerCase} 个附件（含各版本）。A case holds at most ${ACTIVITY_LIMITS.attachmentsPerCase} files, versions included.`,
      'fileName',
    );
  }
}

/** Counts a sending-on of `c` (a working copy): circulate, copy, add signers; or refuses it. */
export function countRouting(c: CaseRecord, personId: string, at: string): void {
  const activity = activityOf(c, personId, at);
  const routing = activity.routing ?? 0;
  if (routing >= ACTIVITY_LIMITS.routingPerCase) {
    throw new UnprocessableError(
      'too-much-routing',
      `您已将此件转送 ${ACTIVITY_LIMITS.routingPerCase} 次，已达上限。You have sent this case on ${ACTIVITY_LIMITS.routingPerCase} times, the limit.`,
      'people',
    );
  }
  if ((activity.routingThisHour ?? 0) >= ACTIVITY_LIMITS.routingPerHour) {
    throw new RateLimitedError(
      `一小时内最多转送 ${ACTIVITY_LIMITS.routingPerHour} 次，请稍后再试。At most ${ACTIVITY_LIMITS.routingPerHour} sendings-on an hour: try again later.`,
      secondsToNextHour(at),
      'people',
    );
  }
  activity.routing = routing + 1;
  activity.routingThisHour = (activity.routingThisHour ?? 0) + 1;
}

/** Refuses a circulation past the readers a case may have. */
export function checkReaders(c: Pick<CaseRecord, 'readers'>): void {
  if (c.readers.length > ACTIVITY_LIMITS.readersPerCase) {
    throw new UnprocessableError(
      'too-many-readers',
      `每件最多传阅、抄送 ${ACTIVITY_LIMITS.readersPerCase} 人。A case goes to at most ${ACTIVITY_LIMITS.readersPerCase} readers.`,
      'people',
    );
  }
}
