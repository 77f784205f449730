/** Steps nobody signs (编号, 通知, 归档, 授权, 销毁): the orchestrator does the work, the engine records it and moves on. */
import { ConflictError } from '../../errors.ts';
import type { Definition, StepDefinition } from '../../definitions/definition.ts';
import { resolveAssignees } from '../assignees.ts';
import { stepAt, type CaseRecord } from '../case.ts';
import type { EngineContext, Outcome } from './context.ts';
import { enterNext } from './routing.ts';
import { Session } from './session.ts';

type AutoStepDefinition = Extract<StepDefinition, { type: 'auto' }>;

/** What the orchestrator must do for the case's current step. */
export function pendingAutomaticStep(c: CaseRecord, definition: Definition): AutoStepDefinition | undefined {
  if (c.status !== 'open') return undefined;
  const step = stepAt(c, definition.steps);
  return step?.type === 'auto' ? step : undefined;
}

/** Runs the current automatic step (the number, when numbering, is allocated by the caller) and enters the next. */
export function runAutomaticStep(current: CaseRecord, ctx: EngineContext, allocated?: { number: string }, done?: { detail: Record<string, unknown> }): Outcome {
  const s = new Session(current, ctx);
  const { c } = s;
  const step = pendingAutomaticStep(c, ctx.definition);
  if (!step) throw new ConflictError('当前步骤不是自动步骤。The current step is not automatic.', 'not-automatic');
  switch (step.action.do) {
    case 'number':
      // A case passes its numbering step again after a return: it keeps the number it has.
      if (c.number) break;
      if (!allocated) throw new Error('numbering step needs an allocated number');
      c.number = allocated.number;
      s.log('system', 'number', { detail: { number: allocated.number } });
      break;
    case 'notify': {
      const people = resolveAssignees(step.action.to, { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields });
      s.notify(people.map((p) => p.id), 'notice', { zh: `${step.action.message.zh}（${c.title}）`, en: `${step.action.message.en} (${c.title})` });
      for (const p of people) s.remember(p.id);
      s.log('system', 'notify', { detail: { to: people.map((p) => p.name) } });
      break;
    }
    case 'file':
      c.filedAt = s.at;
      s.log('system', 'file', { detail: done?.detail });
      break;
    case 'grant':
    case 'destroy':
      // The orchestrator did the work (wrote the grant, destroyed the files); the trail says what.
      s.log('system', step.action.do, { detail: done?.detail });
      if (done?.detail.granted === false) s.notify([c.applicantId], 'not-granted', { zh: `未找到所申请查阅的文件或档号（${String(done.detail.ref)}），未予授权：${c.title}`, en: `No file or archive number ${String(done.detail.ref)} was found; access not granted: ${c.title}` });
      break;
  }
  enterNext(s);
  return s.done();
}
