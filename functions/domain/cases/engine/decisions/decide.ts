/**
 * One person's decision on a case, dispatched by kind. Decisions on the case itself (comment,
 * chase, withdraw, resubmit, extend, mark-read) come first; the rest are a signer's turn at the
 * current step (turn.ts), one file each.
 */
import { ConflictError, NotFoundError } from '../../../errors.ts';
import type { CaseRecord } from '../../case.ts';
import { canView } from '../access.ts';
import type { Command, EngineContext, Outcome } from '../context.ts';
import { Session } from '../session.ts';
import { addSigner } from './add-signer.ts';
import { approve } from './approve.ts';
import { chase } from './chase.ts';
import { comment } from './comment.ts';
import { extend } from './extend.ts';
import { delegate, transfer } from './hand-over.ts';
import { markRead } from './mark-read.ts';
import { reject } from './reject.ts';
import { resubmit } from './resubmit.ts';
import { returnCase } from './return.ts';
import { sendToRead } from './send-to-read.ts';
import { takeTurn } from './turn.ts';
import { withdraw } from './withdraw.ts';

/** Applies one person's decision. Throws a domain error (and changes nothing) when it is not allowed. */
export function decide(current: CaseRecord, ctx: EngineContext, actorId: string, command: Command): Outcome {
  const s = new Session(current, ctx);
  if (!canView(s.c, ctx.org, actorId, ctx.grants)) throw new NotFoundError('没有这个案件。No such case.');
  // A comment is welcome on a closed case too; everything else needs it open.
  if (command.action !== 'comment' && s.c.status !== 'open') throw new ConflictError('该件已结束。This case is closed.', 'closed');
  switch (command.action) {
    case 'comment':
      comment(s, actorId, command);
      break;
    case 'chase':
      chase(s, actorId, command);
      break;
    case 'withdraw':
      withdraw(s, actorId, command);
      break;
    case 'resubmit':
      resubmit(s, actorId, command);
      break;
    case 'extend':
      extend(s, actorId, command);
      break;
    case 'mark-read':
      markRead(s, actorId);
      break;
    case 'approve':
      approve(takeTurn(s, actorId, command.action), command);
      break;
    case 'reject':
      reject(takeTurn(s, actorId, command.action), command);
      break;
    case 'return':
      returnCase(takeTurn(s, actorId, command.action), command);
      break;
    case 'transfer':
      transfer(takeTurn(s, actorId, command.action), command);
      break;
    case 'delegate':
      delegate(takeTurn(s, actorId, command.action), command);
      break;
    case 'add-signer':
      addSigner(takeTurn(s, actorId, command.action), command);
      break;
    case 'circulate':
    case 'copy':
      sendToRead(takeTurn(s, actorId, command.action), command);
      break;
  }
  return s.done();
}
