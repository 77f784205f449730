/**
 * 档案: the archivist's page for the archive standards. A year's 四性检测 (DA/T 70) and its
 * handover package are jobs the archive worker runs: asked for here, watched until done, their
 * reports opened in place and the package downloaded. One item can be checked by its 档号; the
 * year's 断号报告 (DA/T 22) and, for the admin and the archivist, the check of the daily trail
 * digests are sections of their own (number-gaps.ts, check-trail.ts).
 */
import { ApiError, get, post } from '../api.ts';
import { hasRole, loadMe } from '../directory.ts';
import { append, h, notice, simpleField, uid } from '../dom.ts';
import { formatDateTime, listSeparator, localize, type MessageKey, t } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate } from '../nav.ts';
import { setPrintMargins } from '../print.ts';
import type { ArchiveJob, CheckReport, ItemReport } from '../types.ts';
import { drawReport, itemReport } from './archive-report.ts';
import { trailCheckSection } from './check-trail.ts';
import { errorState } from './lists.ts';
import { gapsSection } from './number-gaps.ts';

/** Who may use the page: the API answers everyone else 403 (check-archive.ts ARCHIVE_ROLES). */
const ARCHIVE_ROLES = ['archivist', 'office-director', 'admin', 'confidential-clerk'];
/** Who may check the trail digests (trail-digest.ts checkTrailRange). */
const TRAIL_CHECK_ROLES = ['admin', 'archivist'];
/** How often the jobs are read again while one is queued or running. */
const POLL_MS = 2_000;
/** Polls of a page that never came on screen (a newer page replaced it) before it stops asking. */
const UNSEEN_POLLS = 3;

/** The year in China (UTC+8, no summer time), as the archive counts its years. */
const chinaYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const chinaDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export async function archiveView({ main, query }: PageContext): Promise<void> {
  const thisYear = chinaYear();
  const asked = Number(query.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : thisYear;
  setPrintMargins(t('archiveTitle'));
  main.append(h('h1', null, t('archiveTitle')));
  const me = await loadMe().catch(() => undefined);
  if (me && !hasRole(me, ARCHIVE_ROLES)) {
    main.append(notice('warning', t('archiveForbidden')));
    return;
  }
  const jobs = new JobsSection(year);
  append(main, [yearForm(year, thisYear), jobs.section, jobs.reportPanel, checkOneSection(), gapsSection(year), hasRole(me, TRAIL_CHECK_ROLES) && trailCheckSection(chinaDay())]);
  await jobs.load();
}

/** The year the page is about; chosen, it goes into the address (a page can be bookmarked per year). */
function yearForm(year: number, thisYear: number): HTMLElement {
  const years = Array.from({ length: 10 }, (_, i) => thisYear - i);
  if (!years.includes(year)) years.push(year);
  const select = h('select', { id: 'archive-year', name: 'year' }, years.map((y) => h('option', { value: String(y), selected: y === year }, String(y))));
  return h(
    'form',
    {
      class: 'filters no-print',
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        navigate(`/archive?year=${select.value}`);
      },
    },
    h('div', { class: 'field inline' }, h('label', { for: 'archive-year' }, t('filterYear')), select),
    h('button', { type: 'submit' }, t('show')),
  );
}

const kindName = (job: Pick<ArchiveJob, 'kind'>) => t(`jobKind_${job.kind}` as MessageKey);
const active = (job: ArchiveJob) => job.status === 'queued' || job.status === 'running';

/**
 * The year's jobs: the two buttons that ask for one, and the list, read again every 2 s while a
 * job is queued or running (and no longer once the page is left). A job that ends is said aloud.
 */
class JobsSection {
  readonly section: HTMLElement;
  /** Where an opened report is drawn, below the list. */
  readonly reportPanel = h('section', { class: 'card archive-report', id: 'archive-report', hidden: true });
  private jobs: ArchiveJob[] = [];
  private readonly list = h('div', { class: 'archive-jobs', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
  private readonly said = h('div', { 'aria-live': 'polite' });
  private readonly buttons: HTMLButtonElement[];
  private timer?: ReturnType<typeof setTimeout>;
  private seen = false;
  private unseen = 0;

  constructor(private readonly year: number) {
    this.buttons = (['check-year', 'handover'] as const).map((kind) =>
      h('button', { type: 'button', class: kind === 'check-year' ? 'primary' : undefined, 'data-run': kind, onclick: () => void this.request(kind) }, kind === 'check-year' ? t('archiveRunCheck') : t('archiveRunHandover')),
    );
    this.section = h(
      'section',
      { class: 'card', id: 'archive-jobs', 'aria-labelledby': 'archive-jobs-heading' },
      h('h2', { id: 'archive-jobs-heading' }, t('archiveJobsOf', { year })),
      h('p', { class: 'field-help' }, t('archiveJobsHelp')),
      h('div', { class: 'toolbar no-print' }, this.buttons),
      this.said,
      this.list,
    );
  }

  async load(): Promise<void> {
    try {
      this.jobs = (await get<{ items: ArchiveJob[] }>(`/api/archive/jobs?year=${this.year}`)).items;
    } catch (error) {
      this.list.removeAttribute('aria-busy');
      this.list.replaceChildren(errorState(error));
      return;
    }
    this.draw();
    this.watch();
  }

  private async request(kind: ArchiveJob['kind']): Promise<void> {
    for (const button of this.buttons) button.disabled = true;
    this.said.replaceChildren(h('p', { class: 'loading' }, t('archiveRequesting')));
    try {
      const job = await post<ArchiveJob>('/api/archive/jobs', { kind, year: this.year });
      // Asked again while one runs, the API answers with the one under way.
      const known = this.jobs.some((j) => j.id === job.id);
      this.jobs = [job, ...this.jobs.filter((j) => j.id !== job.id)];
      this.said.replaceChildren(notice('info', known ? t('archiveAlreadyRunning', { kind: kindName(job), year: this.year }) : t('archiveRequested', { kind: kindName(job), year: this.year })));
      this.draw();
      this.watch();
    } catch (error) {
      this.said.replaceChildren(errorState(error));
    } finally {
      for (const button of this.buttons) button.disabled = false;
    }
  }

  /** Reads the jobs again in 2 s while one is under way; stops when none is, or the page is gone. */
  private watch(): void {
    if (this.timer !== undefined || !this.jobs.some(active)) return;
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      if (this.section.isConnected) this.seen = true;
      else if (this.seen || ++this.unseen > UNSEEN_POLLS) return;
      try {
        const fresh = (await get<{ items: ArchiveJob[] }>(`/api/archive/jobs?year=${this.year}`)).items;
        if (!this.section.isConnected && this.seen) return;
        this.announce(fresh);
        this.jobs = fresh;
        this.draw();
      } catch {
        // A missed read is tried again at the next tick; the list stays as it was.
      }
      this.watch();
    }, POLL_MS);
  }

  /** Says which jobs ended since the last read. */
  private announce(fresh: readonly ArchiveJob[]): void {
    const ended = fresh.filter((job) => !active(job) && this.jobs.some((before) => before.id === job.id && active(before)));
    if (ended.length === 0) return;
    this.said.replaceChildren(
      ...ended.map((job) => (job.status === 'done' ? notice('success', t('archiveJobDone', { kind: kindName(job) })) : notice('error', t('archiveJobFailed', { kind: kindName(job) }), job.error ? ` ${localize(job.error)}` : ''))),
    );
  }

  /** Draws the list, keeping the focus on the same button of the same job if it was on one. */
  private draw(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest?.<HTMLElement>('[data-job-action]');
    const refocus = focused && this.list.contains(focused) ? focused.dataset.jobAction : undefined;
    this.list.removeAttribute('aria-busy');
    if (this.jobs.length === 0) {
      this.list.replaceChildren(h('p', { class: 'empty' }, t('archiveJobsEmpty', { year: this.year })));
      return;
    }
    const heads = [t('colJob'), t('colJobBy'), t('colJobAt'), t('colJobState'), t('colJobResult'), t('colJobActions')];
    this.list.replaceChildren(
      h(
        'table',
        { class: 'data-table jobs-table' },
        h('caption', { class: 'visually-hidden' }, t('archiveJobs')),
        h('thead', null, h('tr', null, heads.map((x, k) => h('th', { scope: 'col', class: k === 5 ? 'no-print' : undefined }, x)))),
        h(
          'tbody',
          null,
          this.jobs.map((job) =>
            h(
              'tr',
              { 'data-job': job.id, 'data-state': job.status },
              h('td', { 'data-label': heads[0] }, kindName(job)),
              h('td', { 'data-label': heads[1] }, job.byName),
              h('td', { 'data-label': heads[2] }, formatDateTime(job.requestedAt)),
              h('td', { 'data-label': heads[3] }, stateOf(job)),
              h('td', { 'data-label': heads[4] }, resultOf(job)),
              h('td', { 'data-label': heads[5], class: 'no-print' }, this.actionsOf(job)),
            ),
          ),
        ),
      ),
    );
    if (refocus) this.list.querySelector<HTMLElement>(`[data-job-action="${refocus}"]`)?.focus();
  }

  private actionsOf(job: ArchiveJob): HTMLElement | null {
    if (job.status !== 'done') return null;
    const at = formatDateTime(job.requestedAt);
    const open = h(
      'button',
      { type: 'button', 'data-job-action': `${job.id}:report`, 'aria-label': t('openReportOf', { kind: kindName(job), at }), onclick: () => void this.openReport(job, open) },
      t('openReport'),
    );
    const fetchPackage = h(
      'button',
      { type: 'button', 'data-job-action': `${job.id}:package`, 'aria-label': t('downloadPackageOf', { at }), onclick: () => void this.downloadPackage(job, fetchPackage) },
      t('downloadPackage'),
    );
    return h('div', { class: 'action-buttons' }, open, job.kind === 'handover' && job.packageKey !== undefined ? fetchPackage : null);
  }

  private async openReport(job: ArchiveJob, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    const panel = this.reportPanel;
    try {
      const report = await get<CheckReport>(`/api/archive/reports/${job.year}/${encodeURIComponent(job.id)}`);
      panel.hidden = false;
      drawReport(panel, report, () => {
        panel.hidden = true;
        panel.replaceChildren();
        this.list.querySelector<HTMLElement>(`[data-job-action="${job.id}:report"]`)?.focus();
      });
    } catch (error) {
      panel.hidden = false;
      const message = errorState(error);
      message.tabIndex = -1;
      panel.replaceChildren(message);
      message.focus();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  /** A link good for 10 minutes: the browser goes to it and saves the package (the page stays). */
  private async downloadPackage(job: ArchiveJob, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const link = await post<{ url: string; fileName: string }>(`/api/archive/jobs/${job.year}/${encodeURIComponent(job.id)}/download`);
      location.assign(link.url);
    } catch (error) {
      this.said.replaceChildren(errorState(error));
    } finally {
      button.disabled = false;
    }
  }
}

/** 排队, 进行中 with how far it got, 完成, or 失败 with why. */
function stateOf(job: ArchiveJob): HTMLElement {
  const name = t(`jobState_${job.status}` as MessageKey);
  if (job.status === 'running' && job.progress && job.progress.total > 0) {
    const percent = Math.floor((job.progress.done / job.progress.total) * 100);
    return h(
      'div',
      { class: 'job-state' },
      h('span', { class: 'status status-open' }, name, ` ${percent}%`),
      h('progress', { max: job.progress.total, value: String(job.progress.done), 'aria-label': `${kindName(job)} ${name}` }),
      h('span', { class: 'small muted' }, t('jobProgress', job.progress)),
    );
  }
  if (job.status === 'failed') return h('div', null, h('span', { class: 'status status-rejected' }, name), job.error ? h('p', { class: 'small' }, localize(job.error)) : null);
  return h('span', { class: `status ${job.status === 'done' ? 'status-completed' : 'status-open'}` }, name);
}

/** Items passed and failed; for a package, its files and size. */
function resultOf(job: ArchiveJob): string {
  const s = job.summary;
  if (!s) return '';
  const items = t('jobSummary', { items: s.items, passed: s.passed, failed: s.failed });
  if (job.kind !== 'handover' || s.files === undefined) return items;
  return `${items}${listSeparator()}${t('jobPackage', { files: s.files, mb: ((s.bytes ?? 0) / 1024 / 1024).toFixed(1) })}`;
}

/** 检测单件: one item checked now by its 档号, its checks shown as in a report; what is wrong said under the field. */
function checkOneSection(): HTMLElement {
  const input = h('input', { type: 'text', id: 'check-one-number', name: 'number', maxlength: 60, autocomplete: 'off', spellcheck: 'false' });
  const field = simpleField(t('archiveNumber'), input, t('checkOneHelp'));
  const button = h('button', { type: 'submit' }, t('checkOneButton'));
  const result = h('div', { class: 'check-one-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        const number = input.value.trim();
        field.setError(undefined);
        if (!number) {
          field.setError(t('archiveNumberRequired'));
          input.focus();
          return;
        }
        button.disabled = true;
        button.textContent = t('checking');
        result.replaceChildren();
        try {
          const item = await post<ItemReport>(`/api/archive/items/${encodeURIComponent(number)}/check`);
          result.replaceChildren(itemReport(item, { open: true }));
        } catch (error) {
          field.setError(error instanceof ApiError ? localize(error.message) : String(error));
          input.focus();
        } finally {
          button.disabled = false;
          button.textContent = t('checkOneButton');
        }
      },
    },
    field.element,
    h('div', { class: 'form-actions' }, button),
  );
  const headingId = uid('check-one');
  return h('section', { class: 'card', id: 'archive-check-one', 'aria-labelledby': headingId }, h('h2', { id: headingId }, t('checkOneTitle')), form, result);
}
