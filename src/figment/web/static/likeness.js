// Likeness (/likeness): verify my face, say who may put it in clips and on what terms, see every clip
// with it (drafts too), read the hash-chained ledger of what happened to it, manage my characters,
// and delete it all. Everything the server says about a refusal is shown as it said it. Each card is
// a module of its own (likeness-*.js); this one lays out the page and holds the purge.

import { h, icon, confirmDialog, spinner, setTitle, errorState } from './ui.js';
import { t } from './i18n.js';
import { get, del, isAbort } from './api.js';
import { errorBox, showError, hideError } from './likeness-ui.js';
import { statusSection } from './likeness-verify.js';
import { settingsSection } from './likeness-settings.js';
import { appearancesSection } from './likeness-appearances.js';
import { ledgerSection } from './likeness-ledger.js';
import { charactersSection } from './likeness-characters.js';

export function likenessView(ctx) {
  setTitle(t('likeness.title'));
  const body = h('div', { class: 'page-body lk-body' }, spinner());
  const page = h('section', { class: 'page likeness-view', testid: 'likeness-page' },
    h('header', { class: 'page-header' },
      h('div', { class: 'page-title-row' }, h('h1', {}, t('likeness.title'))),
      h('p', { class: 'page-sub' }, t('likeness.subtitle'))),
    body);

  // `notice` survives the reload it asks for (how many clips a purge removed).
  const load = async (notice = null) => {
    body.replaceChildren(spinner());
    let cameo;
    try {
      cameo = await get('/api/cameo', { signal: ctx.signal });
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
      return;
    }
    const ledger = ledgerSection(ctx.signal, cameo.handle);
    const appearances = appearancesSection(ctx.signal, cameo.handle, () => ledger.reload());
    body.replaceChildren(...[
      notice ? h('p', { class: 'lk-notice', role: 'status', testid: 'likeness-notice' }, icon('check'), h('span', {}, notice)) : null,
      statusSection(cameo, ctx.signal, () => load()),
      settingsSection(cameo, () => ledger.reload()),
      appearances,
      ledger,
      charactersSection(ctx.signal, () => ledger.reload()),
      dangerSection((message) => load(message)),
    ].filter(Boolean));
  };
  load();
  return page;
}

// ---- delete it all ---------------------------------------------------------------------------------

function dangerSection(reload) {
  const box = errorBox('purge-error');
  const button = h('button', { type: 'button', class: 'btn danger', testid: 'purge-button' }, icon('trash'), t('likeness.purge'));
  button.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: t('likeness.purgeTitle'), message: t('likeness.purgeText'), confirmLabel: t('likeness.purgeConfirm'), danger: true });
    if (!ok) return;
    button.disabled = true;
    hideError(box);
    try {
      const res = await del('/api/cameo');
      await reload(t('likeness.purged', { count: (res && res.clips_removed) || 0 }));
    } catch (err) {
      button.disabled = false;
      showError(box, err);
    }
  });
  return h('section', { class: 'lk-card lk-danger', testid: 'danger-zone' },
    h('h2', { class: 'lk-title' }, icon('alert'), t('likeness.dangerTitle')),
    h('p', { class: 'muted' }, t('likeness.purgeHint')),
    box, button);
}
