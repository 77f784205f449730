/** Sign-in: a demo person locally, Cognito's hosted UI in AWS. */
import { devLogin, startCognitoLogin } from '../auth.ts';
import { config } from '../config.ts';
import { resetDirectory } from '../directory.ts';
import { h, notice } from '../dom.ts';
import { colon, lang, localize, t } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, refreshInboxCount, takeReturnPath } from '../nav.ts';

export async function loginView({ main }: PageContext): Promise<void> {
  const auth = config().auth;
  const expired = sessionStorage.getItem('bangong.expired');
  sessionStorage.removeItem('bangong.expired');
  const status = h('div', { 'aria-live': 'polite' }, expired ? notice('warning', t('sessionExpired')) : null);
  if (auth.mode === 'cognito') {
    main.append(
      h('h1', null, t('loginTitle')),
      status,
      h('p', null, t('loginCognitoHint')),
      h('button', { type: 'button', class: 'primary', onclick: () => void startCognitoLogin(auth, takeReturnPath()) }, t('loginCognito')),
    );
    return;
  }
  const select = h(
    'select',
    { id: 'login-user', name: 'user', required: true },
    auth.people.map((p) => h('option', { value: p.id }, [lang() === 'en' && p.nameEn ? p.nameEn : p.name, p.title].filter(Boolean).join(' · '), ` (${p.id})`)),
  );
  const button = h('button', { type: 'submit', class: 'primary' }, t('loginButton'));
  const form = h(
    'form',
    {
      class: 'card login-form',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        button.disabled = true;
        try {
          resetDirectory();
          await devLogin(select.value);
          void refreshInboxCount();
          navigate(takeReturnPath(), { replace: true });
        } catch (error) {
          status.replaceChildren(notice('error', `${t('loginFailed')}${colon()}${localize(error instanceof Error ? error.message : String(error))}`));
          button.disabled = false;
        }
      },
    },
    h('p', null, t('loginDevHint')),
    h('div', { class: 'field' }, h('label', { for: 'login-user' }, t('loginAs')), select),
    button,
  );
  main.append(h('h1', null, t('loginTitle')), status, form);
}
