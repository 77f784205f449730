/**
 * The trail as a timeline: every entry with who, what, at which step and what they entered;
 * 核验流程日志 above it; the entries before the latest ones fetched on request.
 */
import { get } from '../../api.ts';
import { h, notice, type Child } from '../../dom.ts';
import { displayValue } from '../../fields-form.ts';
import { actionName, colon, formatDateTime, localize, t, txt } from '../../i18n.ts';
import type { HumanStep, TrailEntry } from '../../types.ts';
import { signer } from '../slip.ts';
import { trailVerifier } from '../verify-trail.ts';
import { section, type CaseHost } from './host.ts';
import { fieldDef, humanStep, stepName } from './names.ts';

export class TrailSection {
  /** 核验流程日志 and its outcome, kept across redraws as the preview is. */
  private readonly verifier = trailVerifier(() => this.host.c.id);
  /** Trail entries before the latest ones the case came with, fetched on request, and the cursor to those before them. */
  private earlier: { entries: TrailEntry[]; cursor?: string; loading: boolean } = { entries: [], loading: false };

  constructor(private readonly host: CaseHost) {}

  /** The case was read in full again: its latest entries moved on, earlier ones are fetched again when asked for. */
  reread(): void {
    this.earlier = { entries: [], loading: false };
  }

  render(): HTMLElement {
    const c = this.host.c;
    const trail = [...this.earlier.entries, ...(c.trail ?? [])];
    const cursor = this.earlier.entries.length > 0 ? this.earlier.cursor : c.trailEarlier;
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
            h('div', null, h('strong', null, signer(e)), ' ', this.decisionName(e), e.stepName ? h('span', { class: 'muted' }, ` · ${stepName(this.host.definition, e.stepId, e.stepName)}`) : null),
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
    this.host.render();
    try {
      const page = await get<{ items: TrailEntry[]; earlier?: string }>(`/api/cases/${encodeURIComponent(this.host.c.id)}/trail?cursor=${encodeURIComponent(cursor)}`);
      this.earlier = { entries: [...page.items, ...this.earlier.entries], cursor: page.earlier, loading: false };
      this.host.render();
    } catch (error) {
      this.earlier = { ...this.earlier, loading: false };
      this.host.render();
      this.host.say(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  }

  /** A decision as the office words it at that step (拟办, 批办, 办结 rather than 同意). */
  private decisionName(e: TrailEntry): string {
    const label = e.action === 'approve' ? humanStep(this.host.definition, e.stepId)?.approveLabel : undefined;
    return label ? txt(label) : actionName(e.action);
  }

  private detail(e: TrailEntry): Child {
    const d = (e.detail ?? {}) as Record<string, unknown>;
    const bits: string[] = [];
    if (typeof d.fileName === 'string') bits.push(d.fileName);
    if (Array.isArray(d.people)) bits.push(d.people.join('、'));
    if (typeof d.number === 'string') bits.push(d.number);
    if (typeof d.dueAt === 'string') bits.push(`${t('caseDue')}${colon()}${formatDateTime(d.dueAt)}`);
    const fields = this.entryFields(e, humanStep(this.host.definition, e.stepId));
    return bits.length || fields ? h('div', { class: 'muted small' }, bits.join(' · '), fields) : null;
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
        const def = inputs.find((f) => f.key === k) ?? fieldDef(this.host.definition, k);
        return [h('dt', null, txt(def?.label) || k), h('dd', null, displayValue(def, v, this.host.org))];
      }),
    );
  }
}
