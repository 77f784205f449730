/**
 * What a printed page carries in its margins, as the office's paper does: the form's or register's
 * name at the top of every page and "第 1 页，共 2 页" at the bottom (CSS page-margin boxes, which
 * the browser fills in when printing). Each page of the web form sets its own on render.
 */
import { t } from './i18n.ts';

/**
 * The margins' rules, in a constructed style sheet: a <style> element would be refused by the
 * Content-Security-Policy CloudFront sends (style-src 'self'), which governs elements, not sheets
 * made through the CSSOM.
 */
let margins: CSSStyleSheet | undefined;
/** The running header the page set, put back after one part of it was printed on its own. */
let pageHeader = '';

/** A CSS string literal of `text`. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}

/** "第 {page} 页，共 {pages} 页" as CSS content: the placeholders become the page counters. */
function pageNumberContent(): string {
  return t('printPage', { page: '\u0000page\u0000', pages: '\u0000pages\u0000' })
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? `counter(${part})` : part ? cssString(part) : ''))
    .filter(Boolean)
    .join(' ');
}

/** Sets the running header of printed pages (empty for none); every printed page is numbered. */
export function setPrintMargins(header: string): void {
  pageHeader = header;
  writeMargins(header);
}

function writeMargins(header: string): void {
  // Safari before 16.4 has no constructed sheets (nor margin boxes): its pages print without them.
  if (!('adoptedStyleSheets' in Document.prototype)) return;
  if (!margins) {
    margins = new CSSStyleSheet({ media: 'print' });
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, margins];
  }
  const box = 'font-size: 9pt; color: #333; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;';
  margins.replaceSync(
    ['@page {', header ? `  @top-center { content: ${cssString(header)}; ${box} }` : '', `  @bottom-center { content: ${pageNumberContent()}; ${box} }`, '}'].join('\n'),
  );
}

/**
 * Prints one part of the page on its own (a report below its forms): everything outside it is
 * left off the paper while the print dialog is open, and `header` heads its pages.
 */
export function printPart(part: HTMLElement, header: string): void {
  const left: Element[] = [];
  for (let node: Element = part; node.parentElement && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling !== node && !sibling.classList.contains('no-print')) {
        sibling.classList.add('no-print');
        left.push(sibling);
      }
    }
  }
  writeMargins(header);
  window.addEventListener(
    'afterprint',
    () => {
      for (const element of left) element.classList.remove('no-print');
      writeMargins(pageHeader);
    },
    { once: true },
  );
  window.print();
}
