/**
 * The case's files: each with its size, who added it, its checksum, 预览 and 下载, and where
 * reading its text stands; the preview under them; the upload list for those who may add files.
 */
import { post } from '../../api.ts';
import { h, notice } from '../../dom.ts';
import { formatBytes, formatDateTime, localize, t } from '../../i18n.ts';
import { takeStagedFiles, uploadPanel } from '../../uploads.ts';
import type { Attachment } from '../../types.ts';
import { section, type CaseHost } from './host.ts';
import { FilePreview } from './preview.ts';
import { ScanTexts } from './scan-texts.ts';

export class AttachmentsSection {
  private readonly preview = new FilePreview((a) => this.link(a));
  private readonly texts: ScanTexts;
  // The upload list survives redraws so progress bars are not lost.
  private uploader?: ReturnType<typeof uploadPanel>;

  constructor(private readonly host: CaseHost) {
    this.texts = new ScanTexts(host);
  }

  /** The case was read in full again. */
  reread(): void {
    this.texts.reread();
  }

  render(): HTMLElement {
    const c = this.host.c;
    this.uploader ??= uploadPanel(c.id, () => void this.host.reload());
    this.texts.redraw();
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
          h('button', { type: 'button', onclick: () => void this.preview.show(a) }, t('preview'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)),
          h('button', { type: 'button', onclick: () => void this.download(a) }, t('download'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`)),
        ),
        this.texts.line(a),
      ),
    );
    this.texts.watch();
    return section(
      t('attachments'),
      'case-attachments',
      items.length ? h('ul', { class: 'attachment-list' }, items) : h('p', { class: 'muted' }, t('noAttachments')),
      this.preview.element,
      // While a case is open, and by the office's record keepers after it closed: the API says
      // (`mayAttach`, the rule its upload route enforces); a view without it means no.
      c.mayAttach === true ? this.uploader.element : null,
    );
  }

  /** Files chosen on the new-request form go up from here, once the case exists. */
  startStagedUploads(): void {
    const files = takeStagedFiles(this.host.c.id);
    if (files.length > 0) this.uploader?.add(files);
  }

  /** Opens the preview of the file a link names, at its page, and takes the reader there. */
  openAt(attachmentId: string, page: number | undefined): void {
    const a = (this.host.c.attachments as Attachment[]).find((x) => x.id === attachmentId);
    if (a) void this.preview.show(a, { page, focus: true });
  }

  /**
   * A short-lived link to the file. Each one is recorded in the trail (who opened which scan),
   * which moves the case to a new version: the case is read again so a decision made next is not
   * refused as stale.
   */
  private async link(a: Attachment): Promise<string> {
    const { url } = await post<{ url: string }>(`/api/cases/${encodeURIComponent(this.host.c.id)}/attachments/${encodeURIComponent(a.id)}/download`);
    // If this read fails the decision still gets through: a stale version is reloaded on submit.
    await this.host.reload().catch(() => undefined);
    return url;
  }

  private async download(a: Attachment): Promise<void> {
    try {
      const anchor = h('a', { href: await this.link(a), download: a.fileName, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      this.host.say(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  }
}
