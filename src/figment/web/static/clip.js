// One clip on its own page (/v/{id}): the feed card, full height, then a way into the feed.

import { h, icon, toast, emptyState, errorState, spinner, setTitle } from './ui.js';
import { t } from './i18n.js';
import { videoErrorText } from './errors.js';
import { get, post, enc, isAbort, ApiError } from './api.js';
import { isMe, currentUser } from './session.js';
import { takePendingLike } from './pending.js';
import { videoCard } from './card.js';
import { Player } from './player.js';
import { isPending, statusLabel, progressBar, paintProgress, pollVideo, percent } from './jobs.js';
import { brandMark } from './feed.js';
import { appMenuButton } from './links.js';

export function clipView(ctx) {
  const id = ctx.params[0];
  setTitle(t('clip.title'));
  const scroller = h('div', { class: 'feed single', testid: 'clip-view', 'aria-busy': 'true' }, h('div', { class: 'feed-loading' }, spinner()));
  const back = h('button', {
    type: 'button', class: 'icon-button glass', testid: 'back-button', 'aria-label': t('common.back'),
    onclick: () => { if (history.length > 1 && document.referrer.startsWith(location.origin)) history.back(); else ctx.navigate('/'); },
  }, icon('back'));
  const top = h('header', { class: 'feed-top clip-top' }, h('div', { class: 'feed-top-start' }, back, appMenuButton()), brandMark(),
    h('span', { class: 'feed-top-spacer' }));
  const view = h('section', { class: 'feed-view' }, top, scroller);
  let player = null;

  const more = () => h('div', { class: 'clip-more' },
    h('p', {}, t('clip.moreText')),
    h('a', { class: 'btn primary', href: '/', testid: 'more-link' }, icon('sparkle'), t('clip.more')));

  const showReady = (video) => {
    setTitle(t('clip.titleBy', { handle: video.author ? video.author.handle : '' }));
    const card = videoCard(video, { onRemove: () => ctx.navigate('/') });
    if (video.visibility === 'draft' && isMe(video.author && video.author.handle)) card.appendChild(draftBanner(video));
    else if (video.visibility === 'draft') card.appendChild(castBanner(video)); // I can see it: my likeness is in it
    scroller.replaceChildren(card, more());
    player = new Player(scroller);
    player.observe(card);
    // Back from logging in to like this clip: the like the person asked for is applied now.
    if (currentUser() && video.visibility === 'published' && takePendingLike(video.id) && card.like) card.like(true);
  };

  const showPending = (video) => {
    const bar = progressBar(video);
    const label = h('p', { class: 'job-status', 'aria-live': 'polite' }, statusLabel(video));
    const pct = h('span', { class: 'stage-percent', 'aria-hidden': 'true' });
    const paintPct = (v) => { pct.textContent = v.status === 'queued' ? '…' : `${percent(v)}%`; };
    paintPct(video);
    const pending = h('div', { class: 'card pending-card', testid: 'pending-card', dataset: { videoId: video.id, status: video.status } },
      h('div', { class: `stage-pending ${video.status}` }, h('div', { class: 'stage-glow', 'aria-hidden': 'true' }), pct),
      h('div', { class: 'pending-info' }, h('p', { class: 'job-prompt' }, video.prompt), bar, label));
    scroller.replaceChildren(pending, more());
    pollVideo(video.id, {
      signal: ctx.signal,
      onUpdate: (v) => {
        if (!v) { showMissing(); return; }
        if (isPending(v)) {
          paintProgress(bar, v);
          paintPct(v);
          label.textContent = statusLabel(v);
          pending.dataset.status = v.status;
          pending.firstChild.className = `stage-pending ${v.status}`;
          return;
        }
        route(v);
      },
    });
  };

  const showMissing = () => {
    scroller.replaceChildren(emptyState({
      iconName: 'film', title: t('clip.notFoundTitle'), text: t('clip.notFoundText'), testid: 'not-found',
      actions: [h('a', { class: 'btn primary', href: '/' }, t('clip.more'))],
    }));
  };

  const route = (video) => {
    scroller.setAttribute('aria-busy', 'false');
    if (isPending(video)) showPending(video);
    else if (video.status === 'ready' && video.visibility !== 'removed') showReady(video);
    else {
      scroller.replaceChildren(emptyState({
        iconName: 'alert', title: statusLabel(video), text: videoErrorText(video) || t('clip.unavailable'), testid: 'clip-unavailable',
        actions: [h('a', { class: 'btn primary', href: '/' }, t('clip.more'))],
      }));
    }
  };

  const load = () => {
    get(`/api/videos/${enc(id)}`, { signal: ctx.signal }).then(route).catch((err) => {
      if (isAbort(err)) return;
      scroller.setAttribute('aria-busy', 'false');
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) showMissing();
      else scroller.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  ctx.signal.addEventListener('abort', () => { if (player) player.destroy(); });
  return view;
}

function draftBanner(video) {
  const publish = h('button', { type: 'button', class: 'btn primary small', testid: 'publish-button' }, t('draft.publish'));
  const note = h('p', { class: 'draft-banner-error', role: 'alert', testid: 'publish-error', hidden: true });
  const banner = h('div', { class: 'draft-banner', testid: 'draft-banner' },
    h('span', {}, icon('eyeOff'), t('clip.draftNote')), publish, note);
  publish.addEventListener('click', async (event) => {
    event.stopPropagation();
    publish.disabled = true;
    try {
      await post(`/api/videos/${enc(video.id)}/publish`);
      video.visibility = 'published';
      toast(t('draft.published'), { kind: 'success' });
      banner.remove();
    } catch (err) {
      publish.disabled = false;
      note.textContent = err.message;
      note.hidden = false;
    }
  });
  return banner;
}

// Someone else's draft, seen by a person whose likeness is in it: who made it, and where to decide.
function castBanner(video) {
  return h('div', { class: 'draft-banner', testid: 'cast-banner' },
    h('span', {}, icon('face'), t('clip.inItNote', { handle: video.author ? video.author.handle : '' })),
    h('a', { class: 'btn primary small', href: '/likeness', testid: 'manage-likeness' }, t('clip.manage')));
}
