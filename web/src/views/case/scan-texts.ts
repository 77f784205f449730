/**
 * 文字识别 on the case page: each file's text-state line (being read, read with how many pages,
 * failed with why and 重新识别), said in place as the reading goes on, and the watch that reads the
 * case again while some file's text is pending.
 */
import { ApiError, get, request } from '../../api.ts';
import { h } from '../../dom.ts';
import { localize, t } from '../../i18n.ts';
import type { Attachment, CaseView, ScanText } from '../../types.ts';
import type { CaseHost } from './host.ts';

/** How often the case is read again while a file's text is being read. */
const TEXT_POLL_MS = 3_000;
/** How long a page watches pending texts before it leaves them be (reload to look again). */
const TEXT_WATCH_MS = 10 * 60_000;

/** A file's text-state line: what it says (a live region, kept as the state changes) and its row. */
interface TextLine {
  readonly row: HTMLElement;
  readonly said: HTMLElement;
}

export class ScanTexts {
  /** Each file's line as drawn now, updated in place as the reading goes on. */
  private lines = new Map<string, TextLine>();
  /** Text states read since the case was last read in full (a poll, a 重新识别), ahead of what it says. */
  private texts = new Map<string, ScanText>();
  /** The next read of the case while some file's text is pending. */
  private poll?: ReturnType<typeof setTimeout>;
  /** When watching pending texts began (it stops after TEXT_WATCH_MS). */
  private watchingSince?: number;

  constructor(private readonly host: CaseHost) {}

  /** The case was read in full: its text states are the latest. */
  reread(): void {
    this.texts.clear();
  }

  /** The lines are about to be drawn again. */
  redraw(): void {
    this.lines.clear();
  }

  /** A file's line; none for a kind of file whose text is not read. */
  line(a: Attachment): HTMLElement | null {
    const text = this.textOf(a);
    if (!text) return null;
    const line: TextLine = { row: h('span', { class: 'text-state' }), said: h('span', { class: 'text-said', 'aria-live': 'polite', tabindex: -1 }) };
    line.row.append(line.said);
    this.lines.set(a.id, line);
    this.fill(line, a, text);
    return line.row;
  }

  /** While a file's text is pending, the case is read again every few seconds; leaving the page stops it. */
  watch(): void {
    if (this.poll !== undefined || !this.attachments().some((a) => this.textOf(a)?.status === 'pending' && !this.textOf(a)?.canRetry)) return;
    this.watchingSince ??= Date.now();
    if (Date.now() - this.watchingSince > TEXT_WATCH_MS) return;
    this.poll = setTimeout(async () => {
      // Drawn into the page until another page (or this one, in the other language) replaces it.
      if (!this.host.main.isConnected) return;
      try {
        await this.readTexts();
      } catch (error) {
        // No longer there or no longer signed in: nothing more to watch.
        if (error instanceof ApiError && (error.status === 404 || error.status === 401)) return;
      } finally {
        this.poll = undefined;
      }
      if (this.host.main.isConnected) this.watch();
    }, TEXT_POLL_MS);
  }

  private attachments(): Attachment[] {
    return this.host.c.attachments as Attachment[];
  }

  private textOf(a: Attachment): ScanText | undefined {
    return this.texts.get(a.id) ?? a.text;
  }

  /** Says the state in the line, in place (so the change is announced); a failed file gets its 重新识别 button. */
  private fill(line: TextLine, a: Attachment, text: ScanText, problem?: { kind: 'warning' | 'error'; message: string }): void {
    line.row.dataset.state = text.status;
    const said = text.status === 'pending' ? t('textPending') : text.status === 'ready' ? (text.pages === 1 ? t('textReadyOne') : t('textReady', { n: text.pages ?? 0 })) : t('textFailed', { message: localize(text.message ?? '') });
    line.said.replaceChildren(h('span', { class: 'text-status' }, said), ...(problem ? [h('span', { class: `text-problem text-problem-${problem.kind}` }, problem.message)] : []));
    const button = line.row.querySelector('button');
    if (text.status !== 'failed' && !text.canRetry) button?.remove();
    else if (!button) line.row.append(h('button', { type: 'button', class: 'text-retry', onclick: () => void this.retry(a) }, t('textRetry'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)));
  }

  /** 重新识别: the file's text is read again; the line says pending, and the page watches it. */
  private async retry(a: Attachment): Promise<void> {
    const line = this.lines.get(a.id);
    const button = line?.row.querySelector('button');
    if (button) button.disabled = true;
    try {
      const state = await request<ScanText>('POST', `/api/cases/${encodeURIComponent(this.host.c.id)}/attachments/${encodeURIComponent(a.id)}/text`);
      this.set(a.id, state);
      line?.said.focus();
    } catch (error) {
      const message = localize(error instanceof Error ? error.message : String(error));
      // 409: it is being read, or was read, meanwhile: the line shows where it stands now. 429: too many at once.
      const kind = error instanceof ApiError && (error.status === 409 || error.status === 429) ? 'warning' : 'error';
      if (error instanceof ApiError && error.status === 409) await this.readTexts().catch(() => undefined);
      const current = this.lines.get(a.id);
      const text = this.textOf(a);
      if (current && text) this.fill(current, a, text, { kind, message: kind === 'error' ? t('errorGeneric', { message }) : message });
      const again = current?.row.querySelector('button');
      if (again) {
        again.disabled = false;
        again.focus();
      } else current?.said.focus();
    }
    this.watch();
  }

  /** A file's new text state: kept, and said in its line (the rest of the page is not redrawn). */
  private set(id: string, text: ScanText | undefined): void {
    const a = this.attachments().find((x) => x.id === id);
    if (!a || !text || sameText(this.textOf(a), text)) return;
    this.texts.set(id, text);
    const line = this.lines.get(id);
    if (line) this.fill(line, a, text);
  }

  /** Reads the case again for its files' text states only: a decision's version is not taken from it. */
  private async readTexts(): Promise<void> {
    const fresh = await get<CaseView>(`/api/cases/${encodeURIComponent(this.host.c.id)}`);
    for (const a of fresh.attachments as Attachment[]) this.set(a.id, a.text);
  }
}

function sameText(a: ScanText | undefined, b: ScanText): boolean {
  return !!a && a.status === b.status && a.pages === b.pages && a.message === b.message && a.tries === b.tries;
}
