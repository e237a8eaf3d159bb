// Operator page: approve or reject rights-holder applications and resolve takedowns.

import { h, toast, spinner, setTitle, timeAgo, errorState, emptyState } from './ui.js';
import { t } from './i18n.js';
import { get, post, enc, isAbort } from './api.js';
import { currentUser } from './session.js';

export function adminView(ctx) {
  setTitle(t('admin.title'));
  const body = h('div', { class: 'page-body rights-body' }, spinner());
  const page = h('section', { class: 'page rights-view', testid: 'admin-page' },
    h('header', { class: 'page-header' }, h('div', { class: 'page-title-row' }, h('h1', {}, t('admin.title')))),
    body);
  const me = currentUser();
  if (!me || !me.is_admin) {
    body.replaceChildren(emptyState({ iconName: 'alert', title: t('admin.onlyOperators'), testid: 'admin-forbidden' }));
    return page;
  }

  const load = async () => {
    body.replaceChildren(spinner());
    try {
      const [holders, takedowns] = await Promise.all([
        get('/api/admin/rights/holders?status=pending', { signal: ctx.signal }),
        get('/api/rights/takedowns?scope=all', { signal: ctx.signal }),
      ]);
      const open = takedowns.items.filter((td) => td.status === 'open' || td.status === 'countered');
      body.replaceChildren(
        h('div', { class: 'rights-card', testid: 'pending-holders' },
          h('h2', { class: 'section-title' }, t('admin.pending', { count: holders.length })),
          holders.length ? holders.map((holder) => h('div', { class: 'rights-row', testid: 'pending-holder' },
            h('p', {}, h('strong', {}, holder.organisation), ' · @', holder.handle, ' · ', holder.contact),
            holder.statement ? h('p', { class: 'muted' }, holder.statement) : null,
            h('div', { class: 'rights-actions' },
              h('button', { type: 'button', class: 'btn primary small', testid: 'approve-holder', onclick: () => decide(holder, 'approve') }, t('admin.approve')),
              h('button', { type: 'button', class: 'btn small danger-text', onclick: () => decide(holder, 'reject') }, t('admin.reject')))))
            : h('p', { class: 'muted' }, t('admin.noPending'))),
        h('div', { class: 'rights-card', testid: 'open-takedowns' },
          h('h2', { class: 'section-title' }, t('admin.takedowns', { count: open.length })),
          open.length ? open.map(takedownRow) : h('p', { class: 'muted' }, t('admin.noTakedowns'))));
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    }
  };

  const decide = async (holder, action) => {
    try {
      await post(`/api/admin/rights/holders/${enc(holder.id)}/${action}`);
      toast(t(action === 'approve' ? 'admin.approved' : 'admin.rejected', { name: holder.organisation }), { kind: 'success' });
      load();
    } catch (err) { toast(err.message, { kind: 'error' }); }
  };

  const takedownRow = (td) => {
    const note = h('input', { class: 'input', placeholder: t('admin.note'), testid: 'resolve-note' });
    const resolve = async (decision) => {
      try {
        await post(`/api/rights/takedowns/${enc(td.id)}/resolve`, { decision, note: note.value });
        toast(t(decision === 'restore' ? 'admin.restored' : 'admin.removed'), { kind: 'success' });
        load();
      } catch (err) { toast(err.message, { kind: 'error' }); }
    };
    return h('div', { class: 'rights-row', testid: 'open-takedown' },
      h('p', {}, h('strong', {}, td.work.title), ' · ', td.holder, ' → @', td.author || '?', ' ',
        h('span', { class: 'muted' }, timeAgo(td.created_at))),
      h('p', {}, t('admin.claim'), ' ', td.statement),
      td.counter_statement ? h('p', {}, t('admin.counter'), ' ', td.counter_statement) : h('p', { class: 'muted' }, t('admin.noCounter')),
      td.video_id ? h('p', {}, h('a', { href: `/v/${enc(td.video_id)}` }, t('rights.viewClip'))) : null,
      note,
      h('div', { class: 'rights-actions' },
        h('button', { type: 'button', class: 'btn small', testid: 'resolve-restore', onclick: () => resolve('restore') }, t('admin.restore')),
        h('button', { type: 'button', class: 'btn primary small', testid: 'resolve-remove', onclick: () => resolve('remove') }, t('admin.remove'))));
  };

  load();
  return page;
}
