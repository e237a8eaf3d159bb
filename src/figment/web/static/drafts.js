// Drafts: every clip I made and have not published, with live progress for the rendering ones.

import { h, icon, toast, confirmDialog, emptyState, errorState, spinner, setTitle, timeAgo } from './ui.js';
import { t } from './i18n.js';
import { videoErrorText } from './errors.js';
import { get, post, del, enc, isAbort } from './api.js';
import { isPending, statusBadge, progressBar, pollVideo, percent } from './jobs.js';
import { queueLine } from './queue.js';
import { planSummary } from './plan.js';
import { downloadHref, downloadName } from './card.js';

export function draftsView(ctx) {
  setTitle(t('drafts.title'));
  const count = h('span', { class: 'count-pill', hidden: true });
  const list = h('div', { class: 'draft-list', testid: 'drafts' });
  const body = h('div', { class: 'page-body' }, spinner());
  const page = h('section', { class: 'page drafts-view' },
    h('header', { class: 'page-header' },
      h('div', { class: 'page-title-row' }, h('h1', {}, t('drafts.title')), count),
      h('p', { class: 'page-sub' }, t('drafts.subtitle'))),
    body);

  const updateCount = () => {
    const n = list.querySelectorAll('[data-testid="draft-card"]').length;
    count.textContent = String(n);
    count.hidden = n === 0;
    if (n === 0 && list.isConnected) showEmpty();
  };

  const showEmpty = () => {
    body.replaceChildren(emptyState({
      iconName: 'drafts',
      title: t('drafts.emptyTitle'),
      text: t('drafts.emptyText'),
      actions: [h('a', { class: 'btn primary', href: '/create' }, icon('plus'), t('drafts.create'))],
    }));
  };

  const removeCard = (card) => {
    card.classList.add('leaving');
    setTimeout(() => { card.remove(); updateCount(); }, 200);
  };

  const mount = (video) => {
    const card = draftCard(video, { onRemove: removeCard, onChange: (next) => replace(card, next) });
    if (isPending(video)) {
      pollVideo(video.id, {
        signal: ctx.signal,
        onUpdate: (next) => {
          const current = list.querySelector(`[data-video-id="${CSS.escape(video.id)}"]`);
          if (!current) return;
          if (!next) removeCard(current);
          else replace(current, next);
        },
      });
    }
    return card;
  };

  const replace = (card, video) => {
    if (video.visibility === 'published') { removeCard(card); return; }
    // Keep focus on the same action when the card is redrawn under the pointer.
    const focused = document.activeElement && card.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    const next = draftCard(video, { onRemove: removeCard, onChange: (v) => replace(next, v) });
    card.replaceWith(next);
    if (focused) next.querySelector(`[data-testid="${focused}"]`)?.focus();
  };

  const load = () => {
    body.replaceChildren(spinner());
    get('/api/me/drafts', { signal: ctx.signal }).then((data) => {
      const items = ((data && data.items) || []).filter((v) => v.visibility !== 'published' && v.visibility !== 'removed');
      items.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      if (!items.length) { showEmpty(); return; }
      list.replaceChildren(...items.map(mount));
      body.replaceChildren(list);
      updateCount();
    }).catch((err) => {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  return page;
}

function draftCard(video, { onRemove, onChange }) {
  const href = `/v/${enc(video.id)}`;
  const ready = video.status === 'ready';
  const failed = video.status === 'failed' || video.status === 'blocked';
  let thumb;
  if (ready && video.urls && video.urls.poster) {
    thumb = h('a', { class: 'draft-thumb', href },
      h('img', { src: video.urls.poster, alt: t('drafts.watch'), loading: 'lazy' }),
      h('span', { class: 'thumb-play' }, icon('play')),
      video.duration_s ? h('span', { class: 'thumb-duration' }, t('create.seconds', { n: video.duration_s })) : null);
  } else if (ready) {
    thumb = h('a', { class: 'draft-thumb placeholder', href, 'aria-label': t('drafts.watch') }, icon('play'));
  } else if (failed) {
    thumb = h('div', { class: 'draft-thumb failed' }, icon('alert'));
  } else {
    thumb = h('div', { class: `draft-thumb pending ${video.status}` },
      h('span', { class: 'thumb-glow', 'aria-hidden': 'true' }),
      h('span', { class: 'thumb-percent' }, video.status === 'queued' ? '…' : `${percent(video)}%`));
  }

  const actions = h('div', { class: 'draft-actions' });
  // Why publishing did not work (an approval still pending, or refused) stays on the card.
  const publishError = h('p', { class: 'draft-error', role: 'alert', testid: 'publish-error', hidden: true });
  if (ready) {
    const publish = h('button', { type: 'button', class: 'btn primary small', testid: 'publish-button' }, icon('check'), t('draft.publish'));
    publish.addEventListener('click', async () => {
      publish.disabled = true;
      try {
        await post(`/api/videos/${enc(video.id)}/publish`);
        toast(t('draft.published'), { kind: 'success', action: { href, label: t('common.view') } });
        onRemove(card);
      } catch (err) {
        publish.disabled = false;
        publishError.textContent = err.message;
        publishError.hidden = false;
      }
    });
    actions.appendChild(publish);
  }
  if (ready && downloadHref(video)) {
    actions.appendChild(h('a', {
      class: 'btn ghost small', href: downloadHref(video), download: downloadName(video), testid: 'download-button',
      'aria-label': t('draft.downloadClip'), title: t('draft.downloadClip'),
    }, icon('download'), t('draft.download')));
  }
  const remove = h('button', { type: 'button', class: 'btn ghost small danger-text', testid: 'delete-button', 'aria-label': t('draft.deleteClip') }, icon('trash'), t('draft.delete'));
  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: t('draft.deleteTitle'), message: t('draft.deleteText'), confirmLabel: t('draft.delete'), danger: true });
    if (!ok) return;
    remove.disabled = true;
    try {
      await del(`/api/videos/${enc(video.id)}`);
      toast(t('draft.deleted'));
      onRemove(card);
    } catch (err) {
      remove.disabled = false;
      toast(err.message, { kind: 'error' });
    }
  });
  actions.appendChild(remove);

  const card = h('article', { class: `draft-card status-${video.status}`, testid: 'draft-card', dataset: { videoId: video.id, status: video.status } },
    thumb,
    h('div', { class: 'draft-body' },
      h('div', { class: 'draft-head' }, statusBadge(video), h('span', { class: 'draft-time' }, timeAgo(video.created_at))),
      h('p', { class: 'draft-prompt' }, video.prompt),
      withLine(video),
      ready ? planSummary(video.plan) : null,
      failed && video.error ? h('p', { class: 'draft-error', role: 'note' }, videoErrorText(video)) : null,
      isPending(video) ? progressBar(video) : null,
      isPending(video) ? queueLine(video) : null,
      publishError,
      actions));
  card.onChange = onChange;
  return card;
}

// "with @olga, @biscotto": the people and characters tagged in the clip.
export function withLine(video) {
  const cast = (Array.isArray(video.likeness) ? video.likeness : []).filter((l) => l && l.handle);
  if (!cast.length) return null;
  return h('p', { class: 'draft-with', testid: 'draft-with' }, icon('face'),
    h('span', {}, t('drafts.with', { handles: cast.map((l) => `@${l.handle}`).join(', ') })));
}
