// Operator moderation queue: open reports, and a decision (remove, restore, ban, dismiss) per subject.
// Every decision is audited server-side (POST /api/admin/decisions).

import { h, setTitle, spinner, emptyState, errorState, toast, timeAgo } from './ui.js';
import { t } from './i18n.js';
import { get, post, isAbort } from './api.js';

const ACTIONS = ['remove', 'restore', 'ban', 'dismiss'];

export function moderationView(ctx) {
  setTitle(t('mod.title'));
  const body = h('div', { class: 'page-body' }, spinner());

  const decide = async (report, action, card) => {
    try {
      await post('/api/admin/decisions', {
        action, subject_type: report.subject_type, subject_id: report.subject_id, note: report.reason,
      });
      toast(t(`mod.done.${action}`));
      card.remove();
    } catch (err) {
      toast(err.message || t('error.generic'), { kind: 'error' });
    }
  };

  const card = (report) => {
    const el = h('article', { class: 'mod-card', testid: 'mod-report' },
      h('p', {}, h('strong', {}, t(`mod.subject.${report.subject_type}`)), ' ',
        report.subject_type === 'video'
          ? h('a', { href: `/v/${encodeURIComponent(report.subject_id)}` }, report.subject_id)
          : h('code', {}, report.subject_id)),
      h('p', {}, `${t('mod.reason')}: ${report.reason}`, report.note ? ` — ${report.note}` : ''),
      h('p', { class: 'page-sub' }, timeAgo(report.created_at)));
    el.append(h('div', { class: 'mod-actions' }, ...ACTIONS.map((action) => h('button', {
      type: 'button', class: action === 'ban' ? 'btn danger' : 'btn', testid: `mod-${action}`,
      onclick: () => decide(report, action, el),
    }, t(`mod.action.${action}`)))));
    return el;
  };

  const load = async () => {
    body.replaceChildren(spinner());
    try {
      const data = await get('/api/admin/reports', { signal: ctx.signal });
      body.replaceChildren(data.items.length
        ? h('div', { class: 'mod-list' }, ...data.items.map(card))
        : emptyState({ title: t('mod.empty'), testid: 'mod-empty' }));
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    }
  };
  load();

  return h('section', { class: 'page moderation-view' },
    h('header', { class: 'page-header' }, h('h1', {}, t('mod.title')), h('p', { class: 'page-sub' }, t('mod.subtitle'))),
    body);
}
