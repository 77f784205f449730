/**
 * The case page as a whole: it holds the case as last read, reads it again when asked, and draws
 * its sections in order, each owning its own part: fields, scans, the routing slip (文件批办单),
 * the trail in the main column; the actions, readers, process and due time at the side.
 */
import { get } from '../../api.ts';
import { h } from '../../dom.ts';
import type { CaseView, Definition, DefinitionSummary, Org } from '../../types.ts';
import { ActionsSection } from './actions/panel.ts';
import { AttachmentsSection } from './attachments.ts';
import { dueSection } from './due.ts';
import { fieldsSection } from './fields.ts';
import { caseHead } from './header.ts';
import type { CaseHost } from './host.ts';
import { processSection } from './process.ts';
import { readersSection } from './readers.ts';
import { slipSection } from './slip.ts';
import { TrailSection } from './trail.ts';

export class CasePage implements CaseHost {
  private readonly status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  private readonly attachments = new AttachmentsSection(this);
  private readonly trail = new TrailSection(this);
  private readonly actions = new ActionsSection(this);

  constructor(
    readonly main: HTMLElement,
    private current: CaseView,
    readonly definition: Definition | undefined,
    readonly org: Org | undefined,
    private readonly summaries: readonly DefinitionSummary[],
  ) {}

  get c(): CaseView {
    return this.current;
  }

  say(message: HTMLElement): void {
    this.status.replaceChildren(message);
  }

  async reload(message?: HTMLElement): Promise<void> {
    this.current = await get<CaseView>(`/api/cases/${encodeURIComponent(this.current.id)}`);
    this.attachments.reread();
    this.trail.reread();
    this.render();
    if (message) this.say(message);
  }

  render(): void {
    const c = this.current;
    const kept = this.actions.keep();
    const before = focusables(this.main);
    const focused = before.indexOf(document.activeElement as HTMLElement);
    this.main.replaceChildren(
      caseHead(c, this.summaries),
      this.status,
      h(
        'div',
        { class: 'case-layout' },
        h('div', { class: 'case-main' }, fieldsSection(c, this.definition, this.org), this.attachments.render(), slipSection(c, this.definition, this.org), this.trail.render()),
        h('aside', { class: 'case-side' }, this.actions.render(), readersSection(c, this.org), processSection(c), dueSection(c, this.definition)),
      ),
    );
    if (kept) this.actions.reopen(kept);
    // A redraw while someone works the page (a file opened, an upload done) leaves focus where it was.
    const after = focusables(this.main);
    if (focused >= 0 && !this.main.contains(document.activeElement) && after.length === before.length) after[focused]?.focus();
  }

  /** Files chosen on the new-request form go up from here, once the case exists. */
  startStagedUploads(): void {
    this.attachments.startStagedUploads();
  }

  /** Opens the preview of the file a link names (a search result's page), and takes the reader there. */
  openAt(attachmentId: string, page: number | undefined): void {
    this.attachments.openAt(attachmentId, page);
  }
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('a[href], button, input, textarea, select, summary')];
}
