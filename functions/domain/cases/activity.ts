/**
 * What one person may add to a case beyond their decisions: comments and downloads each leave a
 * trail entry, and scans a file. Bounded so that nobody, by mistake or on purpose, can bury a case
 * under entries or files: a burst is refused for the rest of the hour (429), a case's total (422).
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
      : { hour, commentsThisHour: 0, downloadsThisHour: 0, comments: current?.comments ?? 0 };
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
