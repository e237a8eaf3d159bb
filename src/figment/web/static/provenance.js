// Provenance: anyone drops a file and learns whether Figment made it (C2PA + invisible watermark).

import { h, setTitle } from './ui.js';
import { t, lang } from './i18n.js';
import { describeError } from './errors.js';

export function provenanceView() {
  setTitle(t('prov.title'));
  const result = h('div', { class: 'prov-result', testid: 'prov-result', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', accept: 'video/mp4,image/jpeg,image/png', testid: 'prov-file' });
  const drop = h('label', { class: 'prov-drop', testid: 'prov-drop' },
    h('strong', {}, t('prov.drop')), h('span', { class: 'page-sub' }, t('prov.formats')), input);

  const row = (label, ok, detail = '') => h('li', { class: ok ? 'ok' : 'no' },
    h('span', {}, ok ? '✓ ' : '✗ '), h('strong', {}, label), detail ? h('span', {}, ` ${detail}`) : null);

  const check = async (file) => {
    if (!file) return;
    result.replaceChildren(h('p', {}, t('prov.checking')));
    const form = new FormData();
    form.append('file', file);
    let body;
    try {
      const response = await fetch('/api/provenance/check', { method: 'POST', body: form, credentials: 'same-origin' });
      body = await response.json();
      if (!response.ok) {
        const e = (body && body.error) || {};
        throw new Error(describeError({ code: e.code || 'error', details: e.details || {}, serverMessage: e.message }));
      }
    } catch (err) {
      // A network failure or an answer that is not JSON: said in the reader's language too.
      const known = err && err.message && !(err instanceof TypeError) && !(err instanceof SyntaxError);
      result.replaceChildren(h('p', { class: 'error', testid: 'prov-error' }, known ? err.message : t('error.code.network_error')));
      return;
    }
    const c2pa = body.c2pa || {};
    const c2paText = !c2pa.present ? t('prov.c2paNone') : c2pa.trusted ? t('prov.c2paTrusted')
      : c2pa.valid ? t('prov.c2paValid') : t('prov.c2paInvalid');
    const day = (iso) => (iso ? new Date(iso).toLocaleDateString(lang(), { dateStyle: 'long' }) : '');
    // The verdict follows the provenance record (the page never says "not made here" under credentials that
    // name one of our clips): made here, made here and since removed, signed as ours without a record, or not.
    const state = body.state || (body.made_here ? 'made_here' : 'not_made_here');
    const verdict = {
      made_here: t('prov.madeHere'),
      removed: t('prov.removed'),
      credentials_only: t('prov.credentialsOnly'),
      not_made_here: t('prov.notMadeHere'),
    }[state] || t('prov.notMadeHere');
    let detail = null;
    if (state === 'made_here' && body.made_at) detail = t('prov.madeOn', { made: day(body.made_at) });
    if (state === 'removed') {
      detail = body.removed_at
        ? t('prov.removedOn', { made: day(body.made_at), removed: day(body.removed_at) })
        : t('prov.removedUndated', { made: day(body.made_at) });
    }
    if (state === 'credentials_only') detail = t('prov.credentialsOnlyBody');
    // replaceChildren would print a null child as the text "null": only real nodes go in.
    result.replaceChildren(...[
      h('h2', { testid: 'prov-verdict', dataset: { state } }, verdict),
      detail ? h('p', { class: 'page-sub', testid: 'prov-detail' }, detail) : null,
      h('ul', { class: 'prov-facts' },
        row(t('prov.c2pa'), Boolean(c2pa.valid), c2paText),
        row(t('prov.watermark'), Boolean(body.watermark && body.watermark.found),
          body.watermark && body.watermark.found ? t('prov.watermarkFound') : t('prov.watermarkNone'))),
      body.video_id ? h('a', { class: 'btn primary', href: `/v/${encodeURIComponent(body.video_id)}`, testid: 'prov-link' },
        t('prov.open')) : null,
    ].filter(Boolean));
  };

  input.addEventListener('change', () => check(input.files && input.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    check(e.dataTransfer && e.dataTransfer.files[0]);
  });

  return h('section', { class: 'page provenance-view' },
    h('header', { class: 'page-header' }, h('h1', {}, t('prov.title')), h('p', { class: 'page-sub' }, t('prov.subtitle'))),
    h('div', { class: 'page-body' }, drop, result));
}
