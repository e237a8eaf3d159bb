// Every clip with my likeness, drafts included: watch, approve or refuse publication, or delete it.

import { h, icon, toast, confirmDialog, spinner, timeAgo, errorState } from './ui.js';
import { t } from './i18n.js';
import { get, post, del, enc, isAbort } from './api.js';
import { isPending, statusLabel } from './jobs.js';
import { errorBox, showError, hideError, section } from './likeness-ui.js';

function stateLabel(video) {
  if (video.visibility === 'published') return t('status.published');
  if (video.status === 'ready') return t('likeness.state.draft');
  return statusLabel(video);
}

export function appearancesSection(signal, myHandle, onChange) {
  const list = h('div', { class: 'lk-list' }, spinner());
  const box = errorBox('appearances-error');
  const el = section(t('likeness.appearancesTitle'), 'film', 'appearances',
    h('p', { class: 'muted' }, t('likeness.appearancesText')), box, list);

  const reload = async () => {
    try {
      const data = await get('/api/cameo/appearances', { signal });
      const items = (data && data.items) || [];
      list.replaceChildren(...(items.length ? items.map(row) : [h('p', { class: 'muted lk-empty', testid: 'appearances-empty' }, t('likeness.noAppearances'))]));
    } catch (err) {
      if (isAbort(err)) return;
      list.replaceChildren(errorState({ error: err, onRetry: reload }));
    }
  };

  const act = async (button, request, message) => {
    button.disabled = true;
    hideError(box);
    try {
      await request();
      toast(message, { kind: 'success' });
      await reload();
      onChange();
    } catch (err) {
      button.disabled = false;
      showError(box, err);
    }
  };

  const row = (item) => {
    const video = item.video;
    const href = `/v/${enc(video.id)}`;
    const ready = video.status === 'ready';
    const poster = ready && video.urls && video.urls.poster;
    const thumb = ready
      ? h('a', { class: `draft-thumb ${poster ? '' : 'placeholder'}`, href, 'aria-label': t('likeness.watch') },
        poster ? h('img', { src: poster, alt: '', loading: 'lazy' }) : null, h('span', { class: 'thumb-play' }, icon('play')))
      : h('div', { class: `draft-thumb ${isPending(video) ? 'pending' : 'failed'}` }, icon(isPending(video) ? 'clock' : 'alert'));
    const actions = h('div', { class: 'draft-actions lk-wrap' });
    if (ready) actions.appendChild(h('a', { class: 'btn small', href, testid: 'appearance-watch' }, icon('play'), t('likeness.watch')));
    if (item.approval === 'pending') {
      const yes = h('button', { type: 'button', class: 'btn primary small', testid: 'appearance-approve' }, icon('check'), t('likeness.approve'));
      const no = h('button', { type: 'button', class: 'btn small', testid: 'appearance-refuse' }, icon('close'), t('likeness.refuse'));
      yes.addEventListener('click', () => act(yes, () => post(`/api/cameo/appearances/${enc(video.id)}/approve`), t('likeness.approved')));
      no.addEventListener('click', () => act(no, () => post(`/api/cameo/appearances/${enc(video.id)}/refuse`), t('likeness.refused')));
      actions.append(yes, no);
    }
    const remove = h('button', { type: 'button', class: 'btn ghost small danger-text', testid: 'appearance-delete' }, icon('trash'), t('draft.delete'));
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: t('likeness.deleteClipTitle'), message: t('likeness.deleteClipText', { handle: item.author }),
        confirmLabel: t('draft.delete'), danger: true,
      });
      if (ok) act(remove, () => del(`/api/cameo/appearances/${enc(video.id)}`), t('draft.deleted'));
    });
    actions.appendChild(remove);
    const approval = item.approval && item.approval !== 'not_needed'
      ? h('span', { class: `status-badge lk-approval-${item.approval}`, testid: 'appearance-approval' }, t(`likeness.approval.${item.approval}`))
      : null;
    return h('article', {
      class: 'draft-card lk-appearance', testid: 'appearance',
      dataset: { videoId: video.id, visibility: video.visibility, approval: item.approval },
    },
    thumb,
    h('div', { class: 'draft-body' },
      h('div', { class: 'draft-head lk-wrap' },
        h('span', { class: `status-badge status-${video.visibility === 'published' ? 'published' : video.status}`, testid: 'appearance-state' }, stateLabel(video)),
        approval,
        h('span', { class: 'draft-time' }, timeAgo(video.created_at))),
      h('p', { class: 'lk-by', testid: 'appearance-author' }, t('likeness.by', { handle: item.author }),
        item.likeness && item.likeness !== myHandle ? h('span', { class: 'muted' }, ` · ${t('likeness.as', { handle: item.likeness })}`) : null),
      h('p', { class: 'draft-prompt' }, video.prompt)),
    actions);
  };

  reload();
  el.reload = reload;
  return el;
}
