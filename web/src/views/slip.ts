/**
 * The routing slip (文件批办单 / 收文处理笺) as the office's paper form has it: fixed rows for what
 * the document is (来文单位、文号、收文日期、标题…) and one box per stage of handling (拟办意见、
 * 领导批示、承办结果、办结), each opinion signed and dated in its box (001 §一(一)2: "拟办意见…
 * 书写在文件批办单的拟办栏内，并签注拟办人的姓名和时间"). Other processes get the same form built
 * from their definition: their fields, then a box per step. One A4 page for an ordinary document.
 */
import { h, type Child } from '../dom.ts';
import { displayValue, isOpinionInput } from '../fields-form.ts';
import { actionName, colon, formatDate, listSeparator, t, type Text, txt } from '../i18n.ts';
import type { CaseView, Definition, FieldDefinition, HumanStep, Org, TrailEntry } from '../types.ts';

/** Trail actions that carry someone's opinion onto the slip (comments stay in the trail). */
export const OPINIONS = new Set(['approve', 'reject', 'return', 'extend', 'transfer', 'delegate', 'auto-approve', 'auto-reject']);

/** What sits in a cell of the form's head: one of the case's fields, or what every case has. */
type HeadCell = string | 'number' | 'title' | 'createdAt' | 'applicant';

interface PaperForm {
  readonly title: Text;
  /** Rows of the head, each one or two cells (a cell alone spans the row). */
  readonly head: readonly (readonly HeadCell[])[];
  /** The boxes for opinions, each gathering the steps written into it. */
  readonly boxes: readonly { readonly label: Text; readonly steps: readonly string[] }[];
  /** The step whose decision is the registration, said under the form (登记人、日期). */
  readonly registeredAt?: string;
}

/** 收文处理笺 (001 §一(一)2): the clerk's register entry above, 拟办、批办、承办、办结 below. */
const INCOMING: PaperForm = {
  title: { zh: '文件批办单', en: 'Routing slip' },
  head: [['fromOrg', 'docNumber'], ['number', 'receivedOn'], ['urgency', 'confidentiality'], ['docCategory', 'copies'], ['title'], ['summary']],
  boxes: [
    { label: { zh: '拟办意见', en: 'Proposal' }, steps: ['propose'] },
    { label: { zh: '领导批示', en: 'Instruction' }, steps: ['instruct', 'instruct-head'] },
    { label: { zh: '承办结果', en: 'Handling' }, steps: ['handle'] },
    { label: { zh: '办结', en: 'Closed' }, steps: ['close'] },
  ],
  registeredAt: 'register',
};

const FORMS: Record<string, PaperForm> = { 'incoming-document': INCOMING };

/** The form's name: 文件批办单 for documents, "…审批单" for requests. */
export function slipTitle(c: Pick<CaseView, 'type' | 'typeName'>): string {
  const form = FORMS[c.type];
  return form ? txt(form.title) : t('approvalForm', { name: txt(c.typeName) });
}

export function routingSlip(c: CaseView, definition: Definition | undefined, org: Org | undefined): HTMLElement {
  const form = FORMS[c.type] ?? genericForm(c, definition);
  const trail = c.slip ?? c.trail ?? [];
  const stepOf = (id: string | undefined) => {
    const step = definition?.steps.find((s) => s.id === id);
    return step && step.type !== 'auto' ? (step as HumanStep) : undefined;
  };
  const fieldOf = (key: string): FieldDefinition | undefined => definition?.fields.find((f) => f.key === key) ?? definition?.steps.flatMap((s) => (s.type === 'auto' ? [] : s.inputs)).find((f) => f.key === key);

  const label = (cell: HeadCell): string => {
    if (cell === 'number') return c.type === 'incoming-document' ? t('slipRegisterNumber') : t('caseNumber');
    if (cell === 'title') return t('caseTitle');
    if (cell === 'createdAt') return t('caseCreated');
    if (cell === 'applicant') return t('caseApplicant');
    return txt(fieldOf(cell)?.label) || cell;
  };
  const value = (cell: HeadCell): string => {
    if (cell === 'number') return c.number ?? '';
    if (cell === 'title') return c.title;
    if (cell === 'createdAt') return formatDate(c.createdAt);
    if (cell === 'applicant') return c.applicant.name;
    const v = c.fields[cell];
    return v === undefined || v === null || v === '' ? '' : displayValue(fieldOf(cell), v, org);
  };
  const headRows = form.head.map((cells) =>
    h(
      'tr',
      { class: 'slip-head-row' },
      cells.length === 1
        ? [h('th', { scope: 'row' }, label(cells[0]!)), h('td', { colspan: 3, class: `slip-value slip-value-${cells[0]}` }, value(cells[0]!))]
        : cells.map((cell) => [h('th', { scope: 'row' }, label(cell)), h('td', { class: `slip-value slip-value-${cell}` }, value(cell))]),
    ),
  );

  const opinionsIn = (steps: readonly string[]) => trail.filter((e) => e.stepId !== undefined && steps.includes(e.stepId) && OPINIONS.has(e.action));
  const boxRows = form.boxes.map((box) => {
    const entries = opinionsIn(box.steps);
    return h(
      'tr',
      { class: 'slip-box', 'data-box': box.steps.join(' ') },
      h('th', { scope: 'row' }, txt(box.label)),
      h('td', { colspan: 3, class: 'slip-opinions' }, entries.length === 0 ? h('span', { class: 'muted slip-empty' }, t('slipNoOpinion')) : entries.map((e) => opinion(e, stepOf(e.stepId), org))),
    );
  });

  const registered = form.registeredAt ? opinionsIn([form.registeredAt]).find((e) => e.action === 'approve') : undefined;
  return h(
    'table',
    { class: `slip slip-${c.type}` },
    h('caption', null, h('span', { class: 'slip-org' }, org ? orgName(org) : ''), h('span', { class: 'slip-title' }, slipTitle(c))),
    h('colgroup', null, h('col', { class: 'slip-col-label' }), h('col'), h('col', { class: 'slip-col-label' }), h('col')),
    h('tbody', null, headRows, boxRows),
    registered || c.filedAt
      ? h(
          'tfoot',
          null,
          h(
            'tr',
            null,
            h(
              'td',
              { colspan: 4, class: 'slip-foot' },
              registered ? t('slipRegisteredBy', { name: signer(registered), date: formatDate(registered.at) }) : '',
              registered && c.filedAt ? '　' : '',
              c.filedAt ? t('slipFiled', { date: formatDate(c.filedAt) }) : '',
            ),
          ),
        )
      : null,
  );
}

/** For a process without a paper form of its own: its title, short entries two to a row, long texts alone, then a box per step. */
function genericForm(c: CaseView, definition: Definition | undefined): PaperForm {
  const entered = (definition?.fields ?? []).filter((f) => c.fields[f.key] !== undefined);
  const short: HeadCell[] = ['applicant', 'createdAt', ...(c.number ? ['number'] : []), ...entered.filter((f) => !isLong(f)).map((f) => f.key)];
  const head: HeadCell[][] = [['title']];
  for (let i = 0; i < short.length; i += 2) head.push(short.slice(i, i + 2));
  for (const f of entered.filter(isLong)) head.push([f.key]);
  const reached = new Set(c.steps.filter((s) => s.state === 'passed' || s.state === 'current').map((s) => s.id));
  const skipped = skippedSteps(c);
  const trail = c.slip ?? c.trail ?? [];
  const boxes = (definition?.steps ?? c.steps)
    .filter((s) => s.type !== 'auto')
    .filter((s) => (reached.has(s.id) && !skipped.has(s.id)) || trail.some((e) => e.stepId === s.id && OPINIONS.has(e.action)))
    .map((s) => ({ label: s.name, steps: [s.id] }));
  return { title: { zh: '', en: '' }, head, boxes };
}

function isLong(f: FieldDefinition | undefined): boolean {
  return !!f && ((f.type === 'text' && f.multiline) || f.type === 'people' || f.type === 'departments');
}

/** Steps whose condition did not apply in this pass (a 2-day leave never reaches the head). */
export function skippedSteps(c: CaseView): Set<string> {
  const skipped = new Set<string>();
  for (const e of c.slip ?? c.trail ?? []) {
    if (!e.stepId) continue;
    if (e.action === 'skip') skipped.add(e.stepId);
    else if (e.action === 'enter') skipped.delete(e.stepId);
  }
  return skipped;
}

/**
 * One opinion as it is written on paper: the words the person wrote (the step's opinion entry, or
 * their comment), what else they decided on one line, then their name and the date. The decision
 * word is said once: not "同意：同意。", and not at all where the box already names it (拟办意见).
 */
function opinion(e: TrailEntry, step: HumanStep | undefined, org: Org | undefined): HTMLElement {
  const values = ((e.detail as { fields?: Record<string, unknown> } | undefined)?.fields ?? {}) as Record<string, unknown>;
  const inputs = step?.inputs ?? [];
  const texts = inputs.filter((f) => isOpinionInput(f) && typeof values[f.key] === 'string' && (values[f.key] as string).trim());
  const others = Object.keys(values)
    .filter((k) => !texts.some((f) => f.key === k))
    .map((k) => ({ def: inputs.find((f) => f.key === k), value: values[k] }))
    .filter(({ def, value }) => value !== undefined && value !== null && value !== '' && !(def?.type === 'boolean' && value === false))
    .sort((a, b) => inputs.indexOf(a.def!) - inputs.indexOf(b.def!));
  const word = e.action === 'approve' && step?.approveLabel ? txt(step.approveLabel) : actionName(e.action);
  const comment = e.comment?.trim() ?? '';
  const lines: Child[] = [];
  if (texts.length === 1) lines.push(h('p', { class: 'slip-text' }, String(values[texts[0]!.key])));
  else for (const f of texts) lines.push(h('p', { class: 'slip-text' }, h('span', { class: 'slip-label' }, `${txt(f.label)}${colon()}`), String(values[f.key])));
  const written = texts.map((f) => normal(String(values[f.key])));
  // A comment the opinion already says ("同意" beside "同意拟办意见…") is not said twice.
  if (comment && !written.some((w) => w.startsWith(normal(comment)))) {
    // Beside the step's own opinion a comment is a further remark; alone it is the opinion.
    lines.push(h('p', { class: 'slip-text' }, texts.length ? comment : withWord(word, comment, e.action === 'approve' && !!step?.approveLabel)));
  } else if (!comment && texts.length === 0) {
    lines.push(h('p', { class: 'slip-text slip-word' }, word));
  }
  if (others.length) {
    lines.push(
      h(
        'p',
        { class: 'slip-details' },
        others.map(({ def, value }, i) => [i > 0 ? listSeparator() : '', def?.type === 'boolean' ? txt(def.label) : `${txt(def?.label) || ''}${colon()}${displayValue(def, value, org)}`]),
      ),
    );
  }
  return h('div', { class: 'slip-opinion' }, lines, h('p', { class: 'slip-sign' }, h('span', { class: 'slip-signer' }, signer(e)), ' ', h('time', { datetime: e.at }, formatDate(e.at))));
}

/**
 * "同意：注意交接", but "同意，注意交接" alone when the comment starts with the word, and the
 * comment alone where the box already names the decision (批办、拟办).
 */
function withWord(word: string, comment: string, boxNamesIt: boolean): string {
  if (boxNamesIt || normal(comment).startsWith(normal(word))) return comment;
  return `${word}${colon()}${comment}`;
}

function normal(text: string): string {
  return text.trim().replace(/[。．.！!，,；;：:\s]+$/u, '');
}

export function signer(e: TrailEntry): string {
  if (e.actorId === 'system') return t('autoActor');
  return e.onBehalfOfName ? `${e.actorName}（${t('onBehalfOf', { name: e.onBehalfOfName })}）` : e.actorName;
}

function orgName(org: Org): string {
  return txt({ zh: org.name, en: org.nameEn ?? org.name });
}
