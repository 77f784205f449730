/** Scanned files on a case: adding one (verified, versioned) and every download, both in the trail. */
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { checkRoomForFile, countDownload } from '../activity.ts';
import type { Attachment, CaseRecord } from '../case.ts';
import { canAttach, canView, isClassified } from './access.ts';
import type { EngineContext, Outcome } from './context.ts';
import { Session } from './session.ts';

/** Attaches a verified file; the trail records who, what and its checksum. */
export function attachFile(current: CaseRecord, ctx: EngineContext, actorId: string, file: Omit<Attachment, 'byId' | 'byName' | 'at'>): Outcome {
  const s = new Session(current, ctx);
  const { c } = s;
  if (!canAttach(c, ctx.org, actorId)) throw new ForbiddenError('您不能为此件添加附件。You may not add files to this case.');
  if (file.replaces && !c.attachments?.some((a) => a.id === file.replaces)) throw new ValidationError('没有要替换的附件。No such attachment to replace.', 'replaces');
  checkRoomForFile(c);
  c.attachments = [...(c.attachments ?? []), { ...file, byId: actorId, byName: ctx.org.nameOf(actorId), at: s.at }];
  s.remember(actorId);
  s.log(actorId, 'attach', { detail: { attachmentId: file.id, fileName: file.fileName, size: file.size, sha256: file.sha256, replaces: file.replaces } });
  return s.done();
}

/** Records a download in the trail (every download is). */
export function recordDownload(current: CaseRecord, ctx: EngineContext, actorId: string, attachmentId: string): Outcome {
  const s = new Session(current, ctx);
  const { c } = s;
  const file = c.attachments?.find((a) => a.id === attachmentId);
  if (!file) throw new NotFoundError('没有这个附件。No such attachment.');
  if (!canView(c, ctx.org, actorId, ctx.grants)) {
    if (isClassified(c)) throw new ForbiddenError('此文件为涉密文件，须经查阅审批取得授权。This file is classified: ask for access through the confidential-access process.');
    throw new NotFoundError('没有这个附件。No such attachment.');
  }
  countDownload(c, actorId, s.at);
  s.log(actorId, 'download', { detail: { attachmentId, fileName: file.fileName } });
  return s.done();
}
