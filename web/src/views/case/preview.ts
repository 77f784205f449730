/**
 * A file shown on the case page from its bytes: PDFs and images here, TIFF and OFD in a viewer of
 * their own. A PDF opens at a page (`#page=N`, which the browsers' PDF viewers honour).
 */
import { h, notice } from '../../dom.ts';
import { localize, t } from '../../i18n.ts';
import type { Attachment } from '../../types.ts';

export class FilePreview {
  // Kept across redraws, as the upload list is: opening a file redraws the page (attachments.ts link()).
  readonly element = h('div', { class: 'preview', 'aria-live': 'polite' });

  /** `link` gives a short-lived address of the file's bytes. */
  constructor(private readonly link: (a: Attachment) => Promise<string>) {}

  /** Shows the file, at `page` if given; `focus` takes the reader there. */
  async show(a: Attachment, at: { page?: number; focus?: boolean } = {}): Promise<void> {
    const into = this.element;
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
}
