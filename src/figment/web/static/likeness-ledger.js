// The ledger of what happened to my likeness: the hash chain's state, the entries newest first, and
// the download of the whole chain.

import { h, icon, spinner, timeAgo, errorState } from './ui.js';
import { t, lang } from './i18n.js';
import { get, enc, isAbort } from './api.js';
import { section } from './likeness-ui.js';
import { ruleText } from './errors.js';

function when(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

const LEDGER_SHOWN = 30;

function ruleWords(code, entry) {
  const handle = entry.likeness_handle || entry.handle || '';
  const known = ruleText(code, { handle });
  if (known) return known;
  const key = `error.code.${code}`;
  return t(key) !== key ? t(key) : code;
}

function detailText(entry) {
  const d = entry.details || {};
  switch (entry.action) {
    // The rule in words (errors.js), never its code; a refusal by another check names its error code.
    case 'refused': return d.rule ? t('likeness.ledger.rule', { rule: ruleWords(d.rule, entry) }) : '';
    case 'approval': return d.decision ? t(`likeness.approval.${d.decision}`) : '';
    case 'blocked': return d.reason ? ruleWords(d.reason, entry) : '';
    case 'purge': return t('likeness.ledger.clipsRemoved', { count: d.clips_removed || 0 });
    case 'verified': return t('likeness.ledger.references', { count: d.references || 0 });
    case 'permission_change': {
      const parts = [];
      if (d.permission) parts.push(`${t(`likeness.permission.${d.permission.from}`)} → ${t(`likeness.permission.${d.permission.to}`)}`);
      if (d.approval_required) parts.push(t(d.approval_required.to ? 'likeness.ledger.approvalOn' : 'likeness.ledger.approvalOff'));
      if (d.restrictions) parts.push(t('likeness.ledger.restrictions'));
      if (d.approved && d.approved.added) parts.push(`+@${d.approved.added}`);
      if (d.approved && d.approved.removed) parts.push(`−@${d.approved.removed}`);
      return parts.join(' · ');
    }
    default: return '';
  }
}

function actionLabel(action) {
  const key = `likeness.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

export function ledgerSection(signal, myHandle) {
  const chain = h('p', { class: 'lk-chain', testid: 'ledger-chain' });
  const table = h('div', { class: 'lk-table-wrap' }, spinner());
  const more = h('button', { type: 'button', class: 'btn ghost small', hidden: true, testid: 'ledger-more' });
  const download = h('a', {
    class: 'btn small', href: '/api/cameo/ledger?download=true', download: true, testid: 'ledger-download',
  }, icon('download'), t('likeness.ledger.download'));
  const el = section(t('likeness.ledger.title'), 'link', 'ledger',
    h('p', { class: 'muted' }, t('likeness.ledger.text')),
    h('div', { class: 'lk-chain-row' }, chain, download),
    table, more);
  let showAll = false;

  const paint = (data) => {
    const c = data.chain || {};
    chain.dataset.intact = String(Boolean(c.intact));
    chain.className = `lk-chain ${c.intact ? 'ok' : 'broken'}`;
    chain.replaceChildren(icon(c.intact ? 'check' : 'alert'),
      h('span', {}, c.intact ? t('likeness.ledger.intact', { count: c.length || 0 }) : t('likeness.ledger.broken', { seq: c.broken_at })));
    const entries = [...(data.entries || [])].reverse(); // newest first
    if (!entries.length) {
      table.replaceChildren(h('p', { class: 'muted lk-empty' }, t('likeness.ledger.empty')));
      more.hidden = true;
      return;
    }
    const shown = showAll ? entries : entries.slice(0, LEDGER_SHOWN);
    table.replaceChildren(h('table', { class: 'lk-table', testid: 'ledger-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '#'),
        h('th', { scope: 'col' }, t('likeness.ledger.when')),
        h('th', { scope: 'col' }, t('likeness.ledger.what')),
        h('th', { scope: 'col' }, t('likeness.ledger.who')),
        h('th', { scope: 'col' }, t('likeness.ledger.clip')))),
      h('tbody', {}, shown.map((e) => {
        const broken = !c.intact && c.broken_at != null && e.seq >= c.broken_at;
        const detail = detailText(e);
        return h('tr', { testid: 'ledger-entry', class: broken ? 'broken' : '', dataset: { seq: String(e.seq), action: e.action } },
          h('td', { class: 'lk-seq' }, String(e.seq)),
          h('td', { class: 'lk-nowrap', title: when(e.at) }, timeAgo(e.at)),
          h('td', {}, h('span', { class: 'lk-action' }, actionLabel(e.action)),
            e.likeness && e.likeness !== myHandle ? h('span', { class: 'muted' }, ` @${e.likeness}`) : null,
            detail ? h('small', { class: 'lk-detail' }, detail) : null),
          h('td', { class: 'lk-nowrap' }, e.actor ? `@${e.actor}` : '–'),
          h('td', { class: 'lk-nowrap' }, e.video_id ? h('a', { href: `/v/${enc(e.video_id)}`, class: 'lk-clip' }, e.video_id.slice(0, 6)) : '–'));
      }))));
    more.hidden = showAll || entries.length <= LEDGER_SHOWN;
    more.textContent = t('likeness.ledger.showAll', { count: entries.length });
  };
  let last = null;
  more.addEventListener('click', () => { showAll = true; if (last) paint(last); });

  const reload = async () => {
    try {
      last = await get('/api/cameo/ledger', { signal });
      paint(last);
    } catch (err) {
      if (isAbort(err)) return;
      table.replaceChildren(errorState({ error: err, onRetry: reload }));
    }
  };
  reload();
  el.reload = reload;
  return el;
}
