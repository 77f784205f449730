/**
 * The case page (/cases/{id}): its fields, scans, the routing slip (文件批办单) with every opinion,
 * the trail as a timeline, the process with the current step marked, the due time with its
 * explanation, and exactly the actions the API says the caller may take now. This module reads
 * what the page needs; case/page.ts draws it, one module a section, one an action's controls.
 */
import { ApiError, get } from '../api.ts';
import { loadDefinition, loadDefinitions, loadOrg } from '../directory.ts';
import { h, notice } from '../dom.ts';
import { t } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import type { CaseView } from '../types.ts';
import { CasePage } from './case/page.ts';
import { loadOpinions } from './opinions.ts';

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
  const [definition, org, summaries] = await Promise.all([
    loadDefinition(c.type).catch(() => undefined),
    loadOrg().catch(() => undefined),
    loadDefinitions().catch(() => []),
    // Read ahead only where there is an opinion box to fill; the editor reads them if still unread.
    c.actions.length ? loadOpinions().catch(() => undefined) : undefined,
  ]);
  const page = new CasePage(ctx.main, c, definition, org, summaries);
  page.render();
  page.startStagedUploads();
  // From a search result on a file's page (?attachment=…&page=3): that file's preview opens there.
  const attachment = ctx.query.get('attachment');
  if (attachment) page.openAt(attachment, Number(ctx.query.get('page')) || undefined);
}
