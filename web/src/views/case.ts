/**
 * The case page: its fields, scans, the routing slip (文件批办单) with every opinion, the trail as
 * a timeline, the process with the current step marked, the due time with its explanation, and
 * exactly the actions the API says the caller may take now.
 */
import { ApiError, get, idempotencyKey, post, request } from '../api.ts';
import { loadDefinition, loadDefinitions, loadMe, loadOrg, personName, typeName } from '../directory.ts';
import { h, notice, uid, type Child } from '../dom.ts';
import { displayValue, fieldControl, isOpinionInput, readFields, validateInputs, type FieldControl } from '../fields-form.ts';
import { actionName, colon, formatBytes, formatDateTime, formatDayMonth, formatTime, lang, localize, type MessageKey, t, textOf, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { refreshInboxCount } from '../nav.ts';
import { setPrintMargins } from '../print.ts';
import { takeStagedFiles, uploadPanel } from '../uploads.ts';
import { declaredFields } from '../../../functions/domain/definitions/fields.ts';
import type { Attachment, CaseView, Definition, FieldDefinition, HumanStep, Org, ScanText, TrailEntry } from '../types.ts';
import { dueBadge } from './lists.ts';
import { routingSlip, signer, skippedSteps, slipTitle } from './slip.ts';
import { loadOpinions, opinionRow } from './opinions.ts';
import { trailVerifier } from './verify-trail.ts';

export async function casePage(ctx: PageContext): Promise<void> {
  const id = ctx.params[0]!;
  let c: CaseView;
  try {
    c = await get<CaseView>(`/api/cases/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      ctx.main.append(
        h('h1', null, t('caseNotFoundTitle')),
        notice('error', h('p', null, t('caseNotFound')), h('p', null, t('caseNotFoundHelp'))),
        h('p', null, h('a', { href: '/' }, t('backToInbox'))),
      );
      return;
    }
    throw error;
  }
  const [definition, org, summaries, me] = await Promise.all([
    loadDefinition(c.type).catch(() => undefined),
    loadOrg().catch(() => undefined),
    loadDefinitions().catch(() => []),
    loadMe().catch(() => undefined),
    // Read ahead only where there is an opinion box to fill; the editor reads them if still unread.
    c.actions.length ? loadOpinions().catch(() => undefined) : undefined,
  ]);
  // Files may be added while a case is open, and by the office's record keepers after it closed (engine.ts canAttach).
  const keepsRecords = (me?.roles ?? []).some((r) => r === 'clerk' || r === 'archivist' || r === 'office-director');
  const page = new CasePage(ctx.main, c, definition, org, summaries, keepsRecords);
  page.render();
  page.startStagedUploads();
  // From a search result on a file's page (?attachment=…&page=3): that file's preview opens there.
  const attachment = ctx.query.get('attachment');
  if (attachment) page.openAt(attachment, Number(ctx.query.get('page')) || undefined);
}

/** How often the case is read again while a file's text is being read. */
const TEXT_POLL_MS = 3_000;
/** How long a page watches pending texts before it leaves them be (reload to look again). */
const TEXT_WATCH_MS = 10 * 60_000;

/** A file's text-state line: what it says (a live region, kept as the state changes) and its row. */
interface TextLine {
  readonly row: HTMLElement;
  readonly said: HTMLElement;
}

/** What was typed into an open action form, to put back after the page is redrawn. */
type CaseAction = CaseView['actions'][number];

interface OpenForm {
  readonly action: CaseAction;
  readonly stepId: string;
  readonly inComment: boolean;
  readonly values: readonly { readonly value: string; readonly checked: boolean }[];
  readonly focused: number;
  readonly selection?: readonly [number, number];
}

class CasePage {
  private readonly status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  // Kept across redraws, as the upload list is: opening a file redraws the page (see link()).
  private readonly previewArea = h('div', { class: 'preview', 'aria-live': 'polite' });
  /** 核验流程日志 and its outcome, kept across redraws as the preview is. */
  private readonly verifier = trailVerifier(() => this.c.id);
  private uploader?: ReturnType<typeof uploadPanel>;
  /** Trail entries before the latest ones the case came with, fetched on request, and the cursor to those before them. */
  private earlier: { entries: TrailEntry[]; cursor?: string; loading: boolean } = { entries: [], loading: false };
  /** Opens an action's form in the actions panel; set by actionsSection(). */
  private openAction: (action: CaseAction) => HTMLFormElement | undefined = () => undefined;
  /** Each file's text-state line as drawn now, updated in place as the reading goes on. */
  private textLines = new Map<string, TextLine>();
  /** The next read of the case while some file's text is pending. */
  private textPoll?: ReturnType<typeof setTimeout>;
  /** When watching pending texts began (it stops after TEXT_WATCH_MS). */
  private watchingSince?: number;
  /** Text states read since the case was last read in full (a poll, a 重新识别), ahead of what it says. */
  private texts = new Map<string, ScanText>();

  constructor(
    private readonly main: HTMLElement,
    private c: CaseView,
    private readonly definition: Definition | undefined,
    private readonly org: Org | undefined,
    private readonly summaries: Awaited<ReturnType<typeof loadDefinitions>>,
    private readonly keepsRecords: boolean,
  ) {}

  /**
   * The usual opinions over an opinion box. Saved from the editor, every row on the page shows them
   * in place (opinions.ts): the page is not redrawn, so what is typed in another box stays, and
   * focus goes back to the button that opened the editor.
   */
  private opinionRow(box: HTMLTextAreaElement): HTMLElement {
    return opinionRow(box, (opener) => {
      this.status.replaceChildren(notice('success', t('opinionsSaved')));
      if (opener.isConnected) opener.focus();
    });
  }

  /**
   * Reads the case again (after a decision, an upload, a conflict, an opened file) and redraws it,
   * keeping what was typed into an open form. The status line keeps its message unless given one.
   */
  private async reload(message?: HTMLElement): Promise<void> {
    this.c = await get<CaseView>(`/api/cases/${encodeURIComponent(this.c.id)}`);
    this.texts.clear();
    // The latest entries moved on: earlier ones are fetched again when asked for.
    this.earlier = { entries: [], loading: false };
    this.render();
    if (message) this.status.replaceChildren(message);
  }

  startStagedUploads(): void {
    const files = takeStagedFiles(this.c.id);
    if (files.length > 0) this.uploader?.add(files);
  }

  render(): void {
    const c = this.c;
    // The upload list survives redraws so progress bars are not lost.
    this.uploader ??= uploadPanel(c.id, () => void this.reload());
    const open = this.openForm();
    const before = focusables(this.main);
    const focused = before.indexOf(document.activeElement as HTMLElement);
    this.main.replaceChildren(
      // tabindex so focus can be put on the heading after a decision (not left on <body>).
      h('div', { class: 'case-head' }, h('h1', { tabindex: -1 }, c.title), this.meta()),
      this.status,
      h(
        'div',
        { class: 'case-layout' },
        h('div', { class: 'case-main' }, this.fieldsSection(), this.attachmentsSection(), this.slipSection(), this.trailSection()),
        h('aside', { class: 'case-side' }, this.actionsSection(), this.readersSection(), this.processSection(), this.dueSection()),
      ),
    );
    if (open) this.reopen(open);
    // A redraw while someone works the page (a file opened, an upload done) leaves focus where it was.
    const after = focusables(this.main);
    if (focused >= 0 && !this.main.contains(document.activeElement) && after.length === before.length) after[focused]?.focus();
    this.watchTexts();
  }

  /** The action form being filled in, if any, with its values and where the cursor was. */
  private openForm(): OpenForm | undefined {
    const form =
      this.main.querySelector<HTMLFormElement>('.action-form-holder form.action-form:not([data-done])') ??
      this.main.querySelector<HTMLFormElement>('details.comment-box[open] form.action-form:not([data-done])');
    if (!form) return undefined;
    const fields = formFields(form);
    const focused = fields.indexOf(document.activeElement as HTMLInputElement);
    const active = fields[focused];
    const selection = active && 'selectionStart' in active && active.selectionStart !== null && active.type !== 'checkbox' && active.type !== 'radio' ? ([active.selectionStart, active.selectionEnd ?? active.selectionStart] as const) : undefined;
    return {
      action: form.dataset.form as CaseAction,
      stepId: form.dataset.step ?? '',
      inComment: !!form.closest('details'),
      values: fields.map((f) => ({ value: f.value, checked: 'checked' in f ? f.checked : false })),
      focused,
      selection,
    };
  }

  /**
   * Opens the same form again with what was typed, if the caller may still take that action at
   * the same step; a form for a step that has passed is not brought back.
   */
  private reopen(open: OpenForm): void {
    if (open.stepId !== (this.c.currentStep ?? '') || !this.c.actions.includes(open.action)) return;
    let form: HTMLFormElement | undefined;
    if (open.inComment) {
      const details = this.main.querySelector<HTMLDetailsElement>('details.comment-box');
      if (details) details.open = true;
      form = details?.querySelector<HTMLFormElement>('form.action-form') ?? undefined;
    } else {
      form = this.openAction(open.action);
    }
    if (!form) return;
    const fields = formFields(form);
    if (fields.length !== open.values.length) return;
    fields.forEach((f, i) => {
      const saved = open.values[i]!;
      if (f instanceof HTMLInputElement && (f.type === 'checkbox' || f.type === 'radio')) f.checked = saved.checked;
      else f.value = saved.value;
    });
    const active = fields[open.focused];
    if (active) {
      active.focus();
      if (open.selection && 'setSelectionRange' in active) active.setSelectionRange(...open.selection);
    }
  }

  private meta(): HTMLElement {
    const c = this.c;
    return h(
      'p',
      { class: 'case-meta' },
      h('span', { class: `status status-${c.status}` }, t(`status_${c.status}`)),
      h('span', null, txt(c.typeName) || typeName(this.summaries, c.type)),
      c.number ? h('span', null, `${t('caseNumber')}${colon()}${c.number}`) : null,
      h('span', null, `${t('caseApplicant')}${colon()}${c.applicant.name}`),
      h('span', null, `${t('caseCreated')}${colon()}${formatDateTime(c.createdAt)}`),
      c.closedAt ? h('span', null, `${t('caseClosed')}${colon()}${formatDateTime(c.closedAt)}`) : null,
      c.filedAt ? h('span', null, `${t('caseFiled')}${colon()}${formatDateTime(c.filedAt)}`) : null,
    );
  }

  /** The case's own fields and what steps' assignees entered (merged into the case's fields). */
  private fieldDef(key: string): FieldDefinition | undefined {
    return this.definition ? declaredFields(this.definition).find((f) => f.key === key) : undefined;
  }

  private fieldsSection(): HTMLElement {
    const keys = [...new Set([...(this.definition ? declaredFields(this.definition).map((f) => f.key) : []), ...Object.keys(this.c.fields)])].filter((k) => this.c.fields[k] !== undefined);
    return section(
      t('caseFields'),
      'case-fields',
      h(
        'dl',
        { class: 'field-list' },
        keys.map((k) => [h('dt', null, txt(this.fieldDef(k)?.label) || k), h('dd', null, displayValue(this.fieldDef(k), this.c.fields[k], this.org))]),
      ),
    );
  }

  private attachmentsSection(): HTMLElement {
    const c = this.c;
    const preview = this.previewArea;
    this.textLines.clear();
    const items = (c.attachments as Attachment[]).map((a) =>
      h(
        'li',
        { class: 'attachment' },
        h('span', { class: 'file-name' }, a.fileName),
        h('span', { class: 'muted small' }, `${formatBytes(a.size)} · ${t('uploadedBy', { name: a.byName, at: formatDateTime(a.at) })}`),
        h('span', { class: 'muted small mono', title: `SHA-256 ${a.sha256}` }, `SHA-256 ${a.sha256.slice(0, 12)}…`),
        h(
          'span',
          { class: 'attachment-actions' },
          h('button', { type: 'button', onclick: () => void this.preview(a, preview) }, t('preview'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)),
          h('button', { type: 'button', onclick: () => void this.download(a) }, t('download'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)),
        ),
        this.textLine(a),
      ),
    );
    return section(
      t('attachments'),
      'case-attachments',
      items.length ? h('ul', { class: 'attachment-list' }, items) : h('p', { class: 'muted' }, t('noAttachments')),
      preview,
      c.status === 'open' || this.keepsRecords ? this.uploader!.element : null,
    );
  }

  /**
   * A short-lived link to the file. Each one is recorded in the trail (who opened which scan),
   * which moves the case to a new version: the case is read again so a decision made next is not
   * refused as stale.
   */
  private async link(a: Attachment): Promise<string> {
    const { url } = await post<{ url: string }>(`/api/cases/${encodeURIComponent(this.c.id)}/attachments/${encodeURIComponent(a.id)}/download`);
    // If this read fails the decision still gets through: a stale version is reloaded on submit.
    await this.reload().catch(() => undefined);
    return url;
  }

  private async download(a: Attachment): Promise<void> {
    try {
      const anchor = h('a', { href: await this.link(a), download: a.fileName, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      this.status.replaceChildren(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  }

  /**
   * 文字识别: whether the file's text is being read, was read (how many pages) or failed (why, with
   * 重新识别). None for a kind of file whose text is not read.
   */
  private textLine(a: Attachment): HTMLElement | null {
    const text = this.textOf(a);
    if (!text) return null;
    const line: TextLine = { row: h('span', { class: 'text-state' }), said: h('span', { class: 'text-said', 'aria-live': 'polite', tabindex: -1 }) };
    line.row.append(line.said);
    this.textLines.set(a.id, line);
    this.fillTextLine(line, a, text);
    return line.row;
  }

  private textOf(a: Attachment): ScanText | undefined {
    return this.texts.get(a.id) ?? a.text;
  }

  /** Says the state in the line, in place (so the change is announced); a failed file gets its 重新识别 button. */
  private fillTextLine(line: TextLine, a: Attachment, text: ScanText, problem?: { kind: 'warning' | 'error'; message: string }): void {
    line.row.dataset.state = text.status;
    const said = text.status === 'pending' ? t('textPending') : text.status === 'ready' ? (text.pages === 1 ? t('textReadyOne') : t('textReady', { n: text.pages ?? 0 })) : t('textFailed', { message: localize(text.message ?? '') });
    line.said.replaceChildren(h('span', { class: 'text-status' }, said), ...(problem ? [h('span', { class: `text-problem text-problem-${problem.kind}` }, problem.message)] : []));
    const button = line.row.querySelector('button');
    if (text.status !== 'failed' && !text.canRetry) button?.remove();
    else if (!button) line.row.append(h('button', { type: 'button', class: 'text-retry', onclick: () => void this.retryText(a) }, t('textRetry'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)));
  }

  /** 重新识别: the file's text is read again; the line says pending, and the page watches it. */
  private async retryText(a: Attachment): Promise<void> {
    const line = this.textLines.get(a.id);
    const button = line?.row.querySelector('button');
    if (button) button.disabled = true;
    try {
      const state = await request<ScanText>('POST', `/api/cases/${encodeURIComponent(this.c.id)}/attachments/${encodeURIComponent(a.id)}/text`);
      this.setText(a.id, state);
      line?.said.focus();
    } catch (error) {
      const message = localize(error instanceof Error ? error.message : String(error));
      // 409: it is being read, or was read, meanwhile: the line shows where it stands now. 429: too many at once.
      const kind = error instanceof ApiError && (error.status === 409 || error.status === 429) ? 'warning' : 'error';
      if (error instanceof ApiError && error.status === 409) await this.readTexts().catch(() => undefined);
      const current = this.textLines.get(a.id);
      const text = this.textOf(a);
      if (current && text) this.fillTextLine(current, a, text, { kind, message: kind === 'error' ? t('errorGeneric', { message }) : message });
      const again = current?.row.querySelector('button');
      if (again) {
        again.disabled = false;
        again.focus();
      } else current?.said.focus();
    }
    this.watchTexts();
  }

  private attachment(id: string): Attachment | undefined {
    return (this.c.attachments as Attachment[]).find((x) => x.id === id);
  }

  /** A file's new text state: kept, and said in its line (the rest of the page is not redrawn). */
  private setText(id: string, text: ScanText | undefined): void {
    const a = this.attachment(id);
    if (!a || !text || sameText(this.textOf(a), text)) return;
    this.texts.set(id, text);
    const line = this.textLines.get(id);
    if (line) this.fillTextLine(line, a, text);
  }

  /** Reads the case again for its files' text states only: a decision's version is not taken from it. */
  private async readTexts(): Promise<void> {
    const fresh = await get<CaseView>(`/api/cases/${encodeURIComponent(this.c.id)}`);
    for (const a of fresh.attachments as Attachment[]) this.setText(a.id, a.text);
  }

  /** While a file's text is pending, the case is read again every few seconds; leaving the page stops it. */
  private watchTexts(): void {
    if (this.textPoll !== undefined || !(this.c.attachments as Attachment[]).some((a) => this.textOf(a)?.status === 'pending' && !this.textOf(a)?.canRetry)) return;
    this.watchingSince ??= Date.now();
    if (Date.now() - this.watchingSince > TEXT_WATCH_MS) return;
    this.textPoll = setTimeout(async () => {
      // Drawn into the page until another page (or this one, in the other language) replaces it.
      if (!this.main.isConnected) return;
      try {
        await this.readTexts();
      } catch (error) {
        // No longer there or no longer signed in: nothing more to watch.
        if (error instanceof ApiError && (error.status === 404 || error.status === 401)) return;
      } finally {
        this.textPoll = undefined;
      }
      if (this.main.isConnected) this.watchTexts();
    }, TEXT_POLL_MS);
  }

  /** Opens the preview of the file a link names, at its page, and takes the reader there. */
  openAt(attachmentId: string, page: number | undefined): void {
    const a = this.attachment(attachmentId);
    if (a) void this.preview(a, this.previewArea, { page, focus: true });
  }

  /**
   * PDFs and images are shown here from their bytes; TIFF and OFD need a viewer of their own. A PDF
   * opens at `page` (`#page=N`, which the browsers' PDF viewers honour).
   */
  private async preview(a: Attachment, into: HTMLElement, at: { page?: number; focus?: boolean } = {}): Promise<void> {
    const title = at.page ? t('previewPage', { name: a.fileName, page: at.page }) : t('previewOf', { name: a.fileName });
    const close = h('button', { type: 'button', class: 'link-button', onclick: () => into.replaceChildren() }, t('close'));
    if (a.contentType !== 'application/pdf' && a.contentType !== 'image/jpeg' && a.contentType !== 'image/png') {
      into.replaceChildren(notice('info', t('noPreview')));
      return;
    }
    into.replaceChildren(h('p', { role: 'status' }, t('loading')));
    try {
      const response = await fetch(await this.link(a));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = new Blob([await response.arrayBuffer()], { type: a.contentType });
      const src = URL.createObjectURL(blob);
      const pdf = a.contentType === 'application/pdf';
      const view = pdf ? h('iframe', { src: at.page ? `${src}#page=${at.page}` : src, title, class: 'preview-frame' }) : h('img', { src, alt: title, class: 'preview-image' });
      const heading = h('h3', { tabindex: -1 }, title);
      into.replaceChildren(h('div', { class: 'preview-head' }, heading, close), view);
      if (at.focus && into.isConnected) {
        heading.focus({ preventScroll: true });
        into.scrollIntoView({ block: 'start' });
      }
    } catch (error) {
      into.replaceChildren(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  }

  /** 文件批办单: the paper form, with every decision's opinion signed and dated in its box. */
  private slipSection(): HTMLElement {
    const printButton = h(
      'button',
      {
        type: 'button',
        class: 'no-print',
        onclick: () => {
          document.body.classList.add('print-slip');
          window.addEventListener('afterprint', () => document.body.classList.remove('print-slip'), { once: true });
          window.print();
        },
      },
      t('printSlip', { name: slipTitle(this.c) }),
    );
    // Printed, each page is headed with the organisation, the form and the register number.
    setPrintMargins(t('printHeader', { org: this.org ? txt({ zh: this.org.name, en: this.org.nameEn ?? this.org.name }) : '', title: slipTitle(this.c), number: this.c.number ?? '' }).trim());
    return section(slipTitle(this.c), 'routing-slip', printButton, routingSlip(this.c, this.definition, this.org));
  }

  /** Values a step's assignee entered when deciding (拟办: the departments named). */
  private entryFields(e: TrailEntry, step: HumanStep | undefined): Child {
    const values = (e.detail as { fields?: Record<string, unknown> } | undefined)?.fields;
    if (!values || typeof values !== 'object') return null;
    const inputs = step?.inputs ?? [];
    if (Object.keys(values).length === 0) return null;
    // In the order the step asks for them (批办意见 before the departments it confirms).
    const order = (k: string) => (inputs.findIndex((f) => f.key === k) + 1 || inputs.length + 1);
    return h(
      'dl',
      { class: 'entry-fields' },
      Object.entries(values).sort(([a], [b]) => order(a) - order(b)).map(([k, v]) => {
        const def = inputs.find((f) => f.key === k) ?? this.fieldDef(k);
        return [h('dt', null, txt(def?.label) || k), h('dd', null, displayValue(def, v, this.org))];
      }),
    );
  }

  private trailSection(): HTMLElement {
    const trail = [...this.earlier.entries, ...(this.c.trail ?? [])];
    const cursor = this.earlier.entries.length > 0 ? this.earlier.cursor : this.c.trailEarlier;
    const more = cursor
      ? h(
          'button',
          { type: 'button', class: 'no-print', disabled: this.earlier.loading, onclick: () => void this.loadEarlier(cursor) },
          this.earlier.loading ? t('loading') : t('trailEarlier'),
        )
      : null;
    return section(
      t('trail'),
      'case-trail',
      this.verifier,
      more,
      h(
        'ol',
        { class: 'timeline' },
        trail.map((e) =>
          h(
            'li',
            { class: `timeline-item action-${e.action}` },
            h('time', { datetime: e.at }, formatDateTime(e.at)),
            h('div', null, h('strong', null, signer(e)), ' ', this.decisionName(e), e.stepName ? h('span', { class: 'muted' }, ` · ${this.stepName(e.stepId, e.stepName)}`) : null),
            e.comment ? h('p', { class: 'timeline-comment' }, e.actorId === 'system' ? localize(e.comment) : e.comment) : null,
            this.detail(e),
          ),
        ),
      ),
    );
  }

  /** Fetches the page of trail entries before the ones shown and puts it above them. */
  private async loadEarlier(cursor: string): Promise<void> {
    this.earlier = { ...this.earlier, loading: true };
    this.render();
    try {
      const page = await get<{ items: TrailEntry[]; earlier?: string }>(`/api/cases/${encodeURIComponent(this.c.id)}/trail?cursor=${encodeURIComponent(cursor)}`);
      this.earlier = { entries: [...page.items, ...this.earlier.entries], cursor: page.earlier, loading: false };
      this.render();
    } catch (error) {
      this.earlier = { ...this.earlier, loading: false };
      this.render();
      this.status.replaceChildren(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  }

  /** A decision as the office words it at that step (拟办, 批办, 办结 rather than 同意). */
  private decisionName(e: TrailEntry): string {
    const label = e.action === 'approve' ? this.humanStep(e.stepId)?.approveLabel : undefined;
    return label ? txt(label) : actionName(e.action);
  }

  private stepName(id: string | undefined, fallback: string): string {
    const step = this.definition?.steps.find((s) => s.id === id);
    return step ? txt(step.name) : fallback;
  }

  private detail(e: TrailEntry): Child {
    const d = (e.detail ?? {}) as Record<string, unknown>;
    const bits: string[] = [];
    if (typeof d.fileName === 'string') bits.push(d.fileName);
    if (Array.isArray(d.people)) bits.push(d.people.join('、'));
    if (typeof d.number === 'string') bits.push(d.number);
    if (typeof d.dueAt === 'string') bits.push(`${t('caseDue')}${colon()}${formatDateTime(d.dueAt)}`);
    const fields = this.entryFields(e, this.humanStep(e.stepId));
    return bits.length || fields ? h('div', { class: 'muted small' }, bits.join(' · '), fields) : null;
  }

  /**
   * 传阅/抄送: who it went to and who has read it ("已阅 1/2，未阅：黄丽"), so whoever sent it
   * round knows where it is (条例 第二十四条: 传阅 without 漏传、误传、延误).
   */
  private readersSection(): Child {
    const readers = this.c.readers ?? [];
    if (readers.length === 0) return null;
    const read = readers.filter((r) => r.readAt);
    const unread = readers.filter((r) => !r.readAt);
    // The name in the current language where the org chart has the person, else as the API gave it.
    const nameOf = (r: (typeof readers)[number]) => this.nameOf(r.id, r.name);
    const names = (list: typeof readers) => list.map(nameOf).join(lang() === 'zh' ? '、' : ', ');
    return section(
      t('readersTitle'),
      'case-readers',
      h(
        'p',
        { class: 'readers-summary' },
        h('strong', null, t('readersSummary', { read: read.length, total: readers.length })),
        lang() === 'zh' ? '，' : '. ',
        unread.length ? t('readersUnread', { names: names(unread) }) : t('readersAllRead'),
      ),
      h(
        'ul',
        { class: 'readers' },
        readers.map((r) =>
          h(
            'li',
            { class: r.readAt ? 'reader read' : 'reader unread' },
            h('span', { class: 'reader-name' }, nameOf(r)),
            h('span', { class: 'muted small' }, ` ${t(r.kind === 'copy' ? 'readerKind_copy' : 'readerKind_circulate')} · `),
            r.readAt ? h('span', { class: 'small' }, h('time', { datetime: r.readAt }, t('readAt', { at: formatDateTime(r.readAt) }))) : h('span', { class: 'small reader-pending' }, t('notReadYet')),
            sentBy(r, this.org) ? h('span', { class: 'muted small reader-sent' }, ' · ', t('readerSentBy', sentBy(r, this.org)!)) : null,
          ),
        ),
      ),
    );
  }

  /** The steps in order, the current one marked (aria-current="step"). */
  private processSection(): HTMLElement {
    const c = this.c;
    const skipped = skippedSteps(this.c);
    return section(
      t('caseProcess'),
      'case-process',
      h(
        'ol',
        { class: 'process' },
        c.steps.map((s) =>
          h(
            'li',
            // A step ahead whose condition does not hold (the API says `skipped`) is shown as passed over.
            { class: `step step-${(skipped.has(s.id) && s.state === 'passed') || s.state === 'skipped' ? 'skipped' : s.state}${s.type === 'auto' ? ' step-auto' : ''}`, 'aria-current': s.state === 'current' ? 'step' : undefined },
            h('span', { class: 'step-name' }, txt(s.name)),
            h(
              'span',
              { class: 'step-state' },
              skipped.has(s.id) && s.state === 'passed'
                ? t('stepSkipped')
                : s.state === 'passed'
                  ? t('stepPassed')
                  : s.state === 'current'
                    ? t('stepCurrent')
                    : s.state === 'skipped'
                      ? t('stepWillSkip')
                      : t('stepAhead'),
              s.type === 'auto' ? ` · ${t('stepAuto')}` : '',
            ),
          ),
        ),
      ),
      c.status === 'open' && c.assignees.length
        ? h(
            'p',
            { class: 'assignees' },
            `${t('caseAssignees')}${colon()}`,
            c.assignees.map((a, i) => [
              i > 0 ? '、' : '',
              a.name,
              'standIn' in a && a.standIn ? `（${a.standIn.name} ${t('onBehalfOf', { name: a.name })}）` : '',
              'delegate' in a && a.delegate ? `（${t('delegateOf', { name: a.delegate.name })}）` : '',
            ]),
          )
        : null,
    );
  }

  private dueSection(): Child {
    const c = this.c;
    if (c.status !== 'open' || !c.dueAt) return null;
    const due = c.due;
    return section(
      t('caseDue'),
      'case-due',
      h('p', { class: 'due-at' }, h('time', { datetime: c.dueAt }, formatDateTime(c.dueAt)), ' ', dueBadge(c.dueAt)),
      due
        ? h(
            'dl',
            { class: 'due-explain' },
            h('dt', null, t('dueRule')),
            h('dd', null, txt(due.rule)),
            h('dt', null, t('dueStart')),
            h('dd', null, formatDateTime(due.start), this.dueFrom(due.from)),
            due.skipped.length
              ? [h('dt', null, t('dueSkipped')), h('dd', null, h('ul', { class: 'skipped' }, due.skipped.map((d) => h('li', null, `${d.date}${colon()}${d.text ? txt(d.text) : localize(d.reason)}`))))]
              : null,
            due.extension ? [h('dt', null, actionName('extend')), h('dd', null, t('dueExtension', { days: due.extension.days, reason: due.extension.reason, by: due.extension.byName }))] : null,
          )
        : null,
    );
  }

  /**
   * What the due time counts from, by its name: a field's label (收文日期) or the event a step marks
   * (登记), never the code name (receivedOn) the definition uses.
   */
  private dueFrom(from: string | undefined): string {
    const name = this.fromName(from);
    return name ? (lang() === 'zh' ? `（${name}）` : ` (${name})`) : '';
  }

  private fromName(from: string | undefined): string {
    if (!from) return '';
    const field = this.fieldDef(from);
    const marked = this.definition?.steps.find((s) => s.type !== 'auto' && (s as HumanStep).marks?.event === from) as HumanStep | undefined;
    return field ? txt(field.label) : marked?.marks ? txt(marked.marks.label) : '';
  }

  /** A person's name in the current language where the org chart has them, else as the API gave it. */
  private nameOf(id: string | undefined, given: string): string {
    return id && this.org?.people.some((p) => p.id === id) ? personName(this.org, id) : given;
  }

  private humanStep(id: string | undefined): HumanStep | undefined {
    const step = this.definition?.steps.find((s) => s.id === id);
    return step && step.type !== 'auto' ? step : undefined;
  }

  private currentStep(): HumanStep | undefined {
    return this.humanStep(this.c.currentStep);
  }

  /** Exactly the actions the API lists for the caller, each with the form it needs. */
  private actionsSection(): HTMLElement {
    const actions = this.c.actions.filter((a) => a !== 'comment');
    const panel = h('div', { class: 'action-form-holder' });
    const step = this.currentStep();
    const label = (action: string) => (action === 'approve' && step?.approveLabel ? txt(step.approveLabel) : actionName(action));
    const buttons = actions.map((action) =>
      h(
        'button',
        {
          type: 'button',
          class: action === 'approve' ? 'primary' : action === 'reject' ? 'danger' : undefined,
          'data-action': action,
          'aria-expanded': 'false',
          onclick: () => {
            this.openAction(action);
            panel.querySelector<HTMLElement>('textarea, input, select')?.focus();
          },
        },
        label(action),
      ),
    );
    const buttonRow = h('div', { class: 'action-buttons' }, buttons);
    this.openAction = (action) => {
      if (action === 'comment' || !actions.includes(action)) return undefined;
      for (const b of buttonRow.querySelectorAll('button')) b.setAttribute('aria-expanded', String(b.dataset.action === action));
      const form = this.actionForm(action, label(action), step);
      panel.replaceChildren(form);
      return form;
    };
    // 催办: when it was last chased by hand at this step, so it is not chased twice in the hour
    // (the API counts chases afresh when the case moves to another step).
    const chased = actions.includes('chase') ? (this.c.trail ?? []).filter((e) => e.action === 'chase' && e.stepId === this.c.currentStep).at(-1) : undefined;
    return section(
      t('caseActions'),
      'case-actions',
      actions.length ? [buttonRow, chased ? h('p', { class: 'muted small last-chase' }, t('chasedAt', { at: formatDateTime(chased.at) }), ` · ${this.nameOf(chased.actorId, chased.actorName)}`) : null, panel] : h('p', { class: 'muted' }, t('noActions')),
      this.c.actions.includes('comment') ? h('details', { class: 'comment-box' }, h('summary', null, actionName('comment')), this.actionForm('comment', actionName('comment'), step)) : null,
    );
  }

  private actionForm(action: string, label: string, step: HumanStep | undefined): HTMLFormElement {
    const controls: Child[] = [];
    const errors = new Map<string, (message: string | undefined) => void>();
    const readers: (() => Record<string, unknown>)[] = [];
    const org = this.org;

    const textArea = (key: 'comment', title: string, required: boolean) => {
      const id = uid(`${action}-${key}`);
      const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
      const el = h('textarea', { id, name: key, rows: 3, maxlength: 2000, 'aria-required': required ? 'true' : undefined, 'aria-describedby': `${id}-error` });
      errors.set(key, (m) => {
        error.hidden = !m;
        error.textContent = m ? localize(m) : '';
        el.setAttribute('aria-invalid', m ? 'true' : 'false');
      });
      readers.push(() => {
        if (required && !el.value.trim()) throw new FieldProblem(key, t('reasonRequired'));
        return el.value.trim() ? { comment: el.value.trim() } : {};
      });
      // Not over a chase's or a withdrawal's note: no usual opinion is meant there.
      const usual = action === 'chase' || action === 'withdraw' ? null : this.opinionRow(el);
      controls.push(h('div', { class: 'field' }, h('label', { for: id }, title, required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : h('span', { class: 'muted' }, t('optional'))), usual, el, error));
    };
    const personPicker = (key: 'to' | 'people', multiple: boolean) => {
      if (!org) return;
      // Labelled by what the people are chosen for (传阅给、转办给).
      const label = textOf(`pickFor_${action}` as MessageKey);
      const def: FieldDefinition = multiple ? { key, type: 'people', label, required: true, max: 20 } : { key, type: 'person', label, required: true };
      const control = fieldControl(def, org, () => {}, () => {});
      errors.set(key, (m) => control.setError(m));
      readers.push(() => {
        const v = control.read();
        if (v === undefined || (Array.isArray(v) && v.length === 0)) throw new FieldProblem(key, multiple ? t('choosePeople') : t('choosePerson'));
        return { [key]: v };
      });
      controls.push(control.element);
    };

    let inputs: FieldControl[] = [];
    switch (action) {
      case 'approve': {
        // A step's own entries (拟办 names departments, a due date…), sent as `fields`, prefilled
        // with what an earlier step entered (批办 starts from 拟办's proposal).
        const defs = this.c.currentStepInputs ?? step?.inputs ?? [];
        if (org && defs.length) {
          inputs = defs.map((f) => fieldControl(f, org, () => {}, () => {}));
          for (const i of inputs) i.write(this.c.fields[i.key]);
          // A step's written opinion (拟办意见) takes the usual opinions as the comment box does.
          for (const [k, i] of inputs.entries()) {
            const box = isOpinionInput(defs[k]!) ? i.element.querySelector('textarea') : null;
            if (box) box.before(this.opinionRow(box));
          }
          controls.push(inputs.map((i) => i.element));
          readers.push(() => {
            const values = readFields(inputs);
            // Without the definition the API alone judges them.
            const problems = this.definition && step ? validateInputs(this.definition, step, this.c.fields, values) : new Map<string, string>();
            for (const i of inputs) i.setError(problems.get(i.key));
            const first = inputs.find((i) => problems.has(i.key));
            if (first) throw new FieldProblem(`fields.${first.key}`, problems.get(first.key)!, first);
            return { fields: values };
          });
        }
        // One opinion box per step: a step that asks for a written opinion (拟办意见) takes it there.
        if (!defs.some(isOpinionInput)) textArea('comment', t('comment'), false);
        break;
      }
      case 'reject':
      case 'extend':
      case 'comment':
        textArea('comment', action === 'comment' ? t('comment') : t('reason'), true);
        break;
      case 'return': {
        const id = uid('return-to');
        const passed = this.c.steps.filter((s) => s.state === 'passed' && s.type !== 'auto');
        const select = h(
          'select',
          { id, name: 'toStep' },
          h('option', { value: '' }, t('returnToPrevious')),
          h('option', { value: 'applicant' }, t('returnToApplicant')),
          passed.map((s) => h('option', { value: s.id }, txt(s.name))),
        );
        controls.push(h('div', { class: 'field' }, h('label', { for: id }, t('returnTo')), select));
        readers.push(() => (select.value ? { toStep: select.value } : {}));
        textArea('comment', t('reason'), true);
        break;
      }
      case 'transfer':
      case 'delegate':
        personPicker('to', false);
        textArea('comment', t('comment'), false);
        break;
      case 'add-signer': {
        personPicker('people', true);
        const name = uid('position');
        const radios = (['before', 'after'] as const).map((p, i) => h('label', { class: 'choice' }, h('input', { type: 'radio', name, value: p, checked: i === 0 }), ' ', p === 'before' ? t('positionBefore') : t('positionAfter')));
        controls.push(h('fieldset', { class: 'field field-set' }, h('legend', null, t('position')), h('div', { class: 'choices' }, radios)));
        readers.push(() => ({ position: (radios.map((r) => r.querySelector('input')!).find((r) => r.checked)?.value ?? 'before') as string }));
        textArea('comment', t('comment'), false);
        break;
      }
      case 'circulate':
      case 'copy':
        personPicker('people', true);
        textArea('comment', t('comment'), false);
        break;
      case 'withdraw':
      case 'resubmit':
      case 'chase':
        textArea('comment', t('comment'), false);
        break;
      default:
        break;
    }

    const submit = h('button', { type: 'submit', class: action === 'reject' ? 'danger' : 'primary', 'data-submit': action }, label);
    const formStatus = h('div', { 'aria-live': 'polite' });
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'action-form',
        'data-form': action,
        'data-step': this.c.currentStep ?? '',
        novalidate: true,
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          for (const set of errors.values()) set(undefined);
          let body: Record<string, unknown> = { action, version: this.c.version };
          try {
            for (const read of readers) body = { ...body, ...read() };
          } catch (problem) {
            if (problem instanceof FieldProblem) {
              errors.get(problem.key)?.(problem.message);
              (problem.control ? problem.control.focus() : form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
              return;
            }
            throw problem;
          }
          submit.disabled = true;
          try {
            await post(`/api/cases/${encodeURIComponent(this.c.id)}/actions`, body, { 'Idempotency-Key': idempotencyKey() });
            void refreshInboxCount();
            // The decided form is not brought back on the redraw.
            form.dataset.done = 'true';
            await this.reload(notice('success', action === 'chase' ? t('chasedAt', { at: formatTime(Date.now()) }) : `${label}${colon()}${t('actionDone')}`));
            this.main.querySelector<HTMLElement>('h1')?.focus();
          } catch (error) {
            submit.disabled = false;
            // Only a stale version means the case changed under the person: it is read again and
            // the form comes back as filled in. Other conflicts (the period ended, already
            // extended, no approver…) are refusals, said as the API words them.
            if (error instanceof ApiError && error.code === 'stale-version') {
              await this.reload(notice('warning', t('staleVersion')));
              return;
            }
            const message = error instanceof Error ? error.message : String(error);
            // Chased within the hour (429): the API says when to try again; nothing went wrong.
            if (error instanceof ApiError && error.status === 429) {
              formStatus.replaceChildren(notice('warning', localize(message)));
              return;
            }
            const field = error instanceof ApiError ? error.field : undefined;
            const input = field?.startsWith('fields.') ? inputs.find((i) => i.key === field.slice('fields.'.length)) : undefined;
            if (input) {
              input.setError(message);
              input.focus();
            } else if (field && errors.has(field)) {
              errors.get(field)!(message);
            } else {
              formStatus.replaceChildren(notice('error', t('errorGeneric', { message: localize(message) })));
            }
          }
        },
      },
      controls,
      formStatus,
      h('div', { class: 'form-actions' }, submit),
    );
    if (action === 'mark-read' || action === 'withdraw') form.classList.add('compact');
    return form;
  }
}

class FieldProblem extends Error {
  constructor(
    readonly key: string,
    message: string,
    readonly control?: FieldControl,
  ) {
    super(message);
    this.name = 'FieldProblem';
  }
}

/**
 * Who put a reader on the case and when ("周涛 11月26日 送阅"). The case view is to carry them
 * (`addedByName`, `addedAt`, kept on the record since the API's last change); shown when it does,
 * the name in the current language where the view gives the person's id (`addedBy`) too.
 */
function sentBy(reader: object, org: Org | undefined): { name: string; at: string } | undefined {
  const r = reader as { readonly addedBy?: string; readonly addedByName?: string; readonly addedAt?: string };
  if (!r.addedByName || !r.addedAt) return undefined;
  const name = r.addedBy && org?.people.some((p) => p.id === r.addedBy) ? personName(org, r.addedBy) : r.addedByName;
  return { name, at: formatDayMonth(r.addedAt) };
}

function sameText(a: ScanText | undefined, b: ScanText): boolean {
  return !!a && a.status === b.status && a.pages === b.pages && a.message === b.message && a.tries === b.tries;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('a[href], button, input, textarea, select, summary')];
}

/** A form's inputs in document order (the submit button aside). */
function formFields(form: HTMLFormElement): (HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement)[] {
  return [...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')];
}

function section(title: string, id: string, ...children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h('section', { class: 'card', id, 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...children);
}
