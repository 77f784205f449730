/** 文件批办单 on the case page: the paper form (../slip.ts) with its print button and print header. */
import { h } from '../../dom.ts';
import { t, txt } from '../../i18n.ts';
import { setPrintMargins } from '../../print.ts';
import type { CaseView, Definition, Org } from '../../types.ts';
import { routingSlip, slipTitle } from '../slip.ts';
import { section } from './host.ts';

export function slipSection(c: CaseView, definition: Definition | undefined, org: Org | undefined): HTMLElement {
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
    t('printSlip', { name: slipTitle(c) }),
  );
  // Printed, each page is headed with the organisation, the form and the register number.
  setPrintMargins(t('printHeader', { org: org ? txt({ zh: org.name, en: org.nameEn ?? org.name }) : '', title: slipTitle(c), number: c.number ?? '' }).trim());
  return section(slipTitle(c), 'routing-slip', printButton, routingSlip(c, definition, org));
}
