// The full-height clip card shared by the feed and the single-clip page: the clip, its author and
// prompt, the action rail and its "…" menu. Playback is player.js, watch reporting watch.js, the
// sheets comments.js and report-sheet.js.

import { withTagLinks } from './hashtags.js';
import { h, icon, avatar, formatCount, toast, openSheet, shareLink, timeAgo, reducedMotion, confirmDialog } from './ui.js';
import { t } from './i18n.js';
import { post, del, enc } from './api.js';
import { errorText, videoErrorText } from './errors.js';
import { rememberPendingLike } from './pending.js';
import { currentUser, isMe, loginUrl, followState, setFollow, onFollowChange } from './session.js';
import { navigate } from './router.js';
import { isMuted, setMuted, paintSound } from './sound.js';
import { newWatch, wireWatch } from './watch.js';
import { togglePause } from './player.js';
import { openComments } from './comments.js';
import { openReport } from './report-sheet.js';
import { shareUrl } from './share.js';

function requireLogin() {
  if (currentUser()) return true;
  navigate(loginUrl());
  return false;
}

export function videoCard(video, { tab = null, onRemove = null } = {}) {
  const handle = video.author ? video.author.handle : '?';
  const profileHref = `/@${enc(handle)}`;
  const card = h('article', {
    class: 'card',
    testid: 'feed-card',
    dataset: { videoId: video.id, status: video.status || 'ready' },
    'aria-label': t('card.label', { handle }),
  });
  card.video = video;
  card.watch = newWatch();
  card.cleanups = [];

  // Media: blurred poster behind, the clip on top (contained when it is not portrait).
  const media = h('div', { class: 'card-media' });
  const portrait = !video.width || !video.height || video.height >= video.width * 1.3;
  const poster = video.urls && video.urls.poster;
  if (poster && !portrait) media.appendChild(h('img', { class: 'card-backdrop', src: poster, alt: '', 'aria-hidden': 'true' }));
  let videoEl = null;
  if (video.urls && video.urls.video) {
    videoEl = h('video', {
      testid: 'video',
      class: portrait ? 'fit-cover' : 'fit-contain',
      playsinline: true,
      'webkit-playsinline': true,
      loop: true,
      preload: 'metadata',
      poster: poster || null,
      disablepictureinpicture: true,
      'aria-label': video.prompt,
    });
    videoEl.muted = isMuted();
    videoEl.defaultMuted = true;
    videoEl.dataset.src = video.urls.video;
    videoEl.addEventListener('error', () => {
      if (!videoEl.getAttribute('src')) return;
      card.classList.add('broken');
      media.appendChild(h('div', { class: 'card-unavailable overlay', testid: 'video-error' }, icon('alert'), h('p', {}, t('card.playError'))));
    }, { once: true });
    media.appendChild(videoEl);
  } else {
    media.appendChild(h('div', { class: 'card-unavailable' }, icon('film'), h('p', {}, videoErrorText(video) || t('card.unavailable'))));
  }
  const playBadge = h('div', { class: 'card-play', 'aria-hidden': 'true' }, icon('play'));
  const burst = h('div', { class: 'card-burst', 'aria-hidden': 'true' }, icon('heartFill'));
  media.append(playBadge, burst, h('div', { class: 'card-shade', 'aria-hidden': 'true' }));
  card.appendChild(media);

  // Sound toggle.
  const sound = h('button', { type: 'button', class: 'sound-toggle icon-button glass', testid: 'sound-toggle' });
  paintSound(sound);
  sound.addEventListener('click', (event) => {
    event.stopPropagation();
    setMuted(!isMuted());
    if (videoEl && !isMuted() && card.classList.contains('active') && videoEl.paused && !card.userPaused) videoEl.play().catch(() => {});
  });
  card.appendChild(sound);

  // Author, prompt, remix and likeness lines.
  const meta = h('div', { class: 'card-meta' });
  const authorRow = h('div', { class: 'card-author' },
    h('a', { class: 'card-handle', href: profileHref, testid: 'author-link' }, `@${handle}`));
  let followBtn = null;
  if (!isMe(handle)) {
    followBtn = h('button', { type: 'button', class: 'follow-pill', testid: 'follow-button' });
    const known = followState(handle);
    const initial = typeof known === 'boolean' ? known
      : typeof (video.author && video.author.followed_by_me) === 'boolean' ? video.author.followed_by_me
        : tab === 'following';
    paintFollow(followBtn, handle, initial);
    followBtn.addEventListener('click', async () => {
      if (!requireLogin()) return;
      const next = followBtn.getAttribute('aria-pressed') !== 'true';
      followBtn.disabled = true;
      try {
        await setFollow(handle, next);
        if (next) toast(t('follow.now', { handle }), { kind: 'success' });
      } catch (err) {
        toast(errorText(err), { kind: 'error' });
      } finally {
        followBtn.disabled = false;
      }
    });
    const off = onFollowChange((who, value) => {
      if (who.toLowerCase() === handle.toLowerCase()) paintFollow(followBtn, handle, value);
    });
    card.cleanups.push(off);
    authorRow.appendChild(followBtn);
  }
  if (video.published_at || video.created_at) {
    authorRow.appendChild(h('span', { class: 'card-time' }, `· ${timeAgo(video.published_at || video.created_at)}`));
  }
  meta.appendChild(authorRow);

  const promptId = `prompt-${video.id}`;
  const promptEl = h('p', { class: 'card-prompt clamped', id: promptId, testid: 'prompt-text' }, withTagLinks(video.prompt));
  const moreBtn = h('button', { type: 'button', class: 'link-button card-more', 'aria-expanded': 'false', 'aria-controls': promptId, hidden: true }, t('card.more'));
  moreBtn.addEventListener('click', () => {
    const open = promptEl.classList.toggle('clamped') === false;
    moreBtn.setAttribute('aria-expanded', String(open));
    moreBtn.textContent = open ? t('card.less') : t('card.more');
    card.classList.toggle('expanded', open);
  });
  meta.append(promptEl, moreBtn);
  // For You says why a clip is there ("because you liked ...", "people you follow"); the text comes from the server.
  const reason = reasonText(video);
  if (reason) {
    meta.append(h('p', { class: 'card-reason', testid: 'reason-text', dataset: { reason: video.reason || '' } }, reason));
  }
  if ('ResizeObserver' in window) {
    const ro = new ResizeObserver(() => {
      if (!promptEl.classList.contains('clamped')) return;
      moreBtn.hidden = promptEl.scrollHeight <= promptEl.clientHeight + 2;
    });
    ro.observe(promptEl);
    card.cleanups.push(() => ro.disconnect());
  }

  if (video.remix_of && video.remix_of.id) {
    const from = video.remix_of.author ? video.remix_of.author.handle : '';
    meta.appendChild(h('a', { class: 'card-line card-remix', href: `/v/${enc(video.remix_of.id)}`, testid: 'remix-of-link' },
      icon('remix'), h('span', {}, from ? t('card.remixOf', { handle: from }) : t('card.remixOfClip'))));
  }
  if (Array.isArray(video.likeness) && video.likeness.length) {
    const people = video.likeness.filter((l) => l && l.handle);
    if (people.length) {
      const line = h('p', { class: 'card-line card-likeness' }, icon('face'), h('span', {}, t('card.featuring'), ' '));
      people.forEach((person, i) => {
        if (i) line.lastChild.append(', ');
        // A person links to their profile; a character has no page of its own, so it is plain text.
        line.lastChild.appendChild(person.kind === 'character'
          ? h('span', {}, `@${person.handle}`)
          : h('a', { href: `/@${enc(person.handle)}` }, `@${person.handle}`));
      });
      meta.appendChild(line);
    }
  }
  if (Array.isArray(video.credits) && video.credits.length) {
    // Licensed works carry their rights holder's credit on the clip.
    meta.appendChild(h('p', { class: 'card-line card-credit', testid: 'clip-credit' }, icon('check'),
      h('span', {}, video.credits.map((c) => t('card.credit', { work: c.work, holder: c.holder })).join(' · '))));
  }
  card.appendChild(meta);

  // Action rail.
  const likeIcon = h('span', { class: 'rail-icon' });
  const likeBtn = h('button', { type: 'button', class: 'rail-button like', testid: 'like-button' }, likeIcon);
  const likeCount = h('span', { class: 'rail-count', testid: 'like-count' });
  const paintLike = () => {
    likeIcon.replaceChildren(icon(video.liked_by_me ? 'heartFill' : 'heart'));
    likeBtn.classList.toggle('on', Boolean(video.liked_by_me));
    likeBtn.setAttribute('aria-pressed', String(Boolean(video.liked_by_me)));
    likeBtn.setAttribute('aria-label', video.liked_by_me ? t('card.unlike') : t('card.like'));
    likeCount.textContent = formatCount(video.like_count);
    likeCount.dataset.count = String(video.like_count || 0);
  };
  paintLike();

  const like = async (forceOn = false) => {
    if (!currentUser()) {
      // Log in, come back to this very clip, and the like is applied there (clip.js).
      rememberPendingLike(video.id);
      navigate(loginUrl(`/v/${enc(video.id)}`));
      return;
    }
    const want = forceOn ? true : !video.liked_by_me;
    if (want && !reducedMotion()) {
      burst.classList.remove('pop');
      void burst.offsetWidth;
      burst.classList.add('pop');
    }
    if (want === Boolean(video.liked_by_me)) return;
    const before = { liked_by_me: video.liked_by_me, like_count: video.like_count };
    video.liked_by_me = want;
    video.like_count = Math.max(0, (video.like_count || 0) + (want ? 1 : -1));
    paintLike();
    try {
      const path = `/api/videos/${enc(video.id)}/like`;
      const res = want ? await post(path) : await del(path);
      if (res && typeof res.like_count === 'number') {
        video.like_count = res.like_count;
        video.liked_by_me = Boolean(res.liked_by_me);
      }
    } catch (err) {
      Object.assign(video, before);
      toast(errorText(err), { kind: 'error' });
    }
    paintLike();
  };
  likeBtn.addEventListener('click', () => like(false));

  const commentCount = h('span', { class: 'rail-count', testid: 'comment-count' }, formatCount(video.comment_count));
  const commentBtn = h('button', { type: 'button', class: 'rail-button', testid: 'comment-button', 'aria-label': t('card.comments') },
    h('span', { class: 'rail-icon' }, icon('comment')));
  card.setCommentCount = (n) => {
    video.comment_count = n;
    commentCount.textContent = formatCount(n);
  };
  commentBtn.addEventListener('click', () => openComments(video, card));

  const remixBtn = h('button', { type: 'button', class: 'rail-button', testid: 'remix-button', 'aria-label': t('card.remix') },
    h('span', { class: 'rail-icon' }, icon('remix')));
  remixBtn.addEventListener('click', () => {
    const target = `/create?remix_of=${enc(video.id)}&prompt=${enc(video.prompt || '')}&from=${enc(handle)}`;
    if (!currentUser()) { navigate(loginUrl(target)); return; }
    navigate(target);
  });

  const shareBtn = h('button', { type: 'button', class: 'rail-button', testid: 'share-button', 'aria-label': t('card.share') },
    h('span', { class: 'rail-icon' }, icon('share')));
  const shareCount = h('span', { class: 'rail-count', testid: 'share-count' });
  const paintShares = () => { shareCount.textContent = video.share_count ? formatCount(video.share_count) : t('card.share'); };
  paintShares();
  shareBtn.addEventListener('click', () => {
    // Phones: the system share sheet; elsewhere the link is copied (share.js).
    shareUrl({ url: `${location.origin}/v/${video.id}`, title: `@${handle}`, text: video.prompt || '' });
    // A share is a ranking signal and a public count; published clips only, once per person (server side).
    if (currentUser() && video.visibility === 'published') {
      post(`/api/videos/${enc(video.id)}/share`).then((res) => {
        if (res && typeof res.share_count === 'number') { video.share_count = res.share_count; paintShares(); }
      }).catch(() => { /* the link was given either way */ });
    }
  });

  const moreMenuBtn = h('button', { type: 'button', class: 'rail-button small', testid: 'more-button', 'aria-label': t('card.moreActions'), 'aria-haspopup': 'dialog' },
    h('span', { class: 'rail-icon' }, icon('more')));
  moreMenuBtn.addEventListener('click', () => openMenu(video, card, onRemove));

  // A draft (mine, or someone else's that my likeness is in) cannot be liked, commented on, remixed or
  // shared (the API refuses): it shows none of those buttons, only its menu.
  const social = isPublished(video);
  card.appendChild(h('div', { class: 'card-rail' },
    h('a', { class: 'rail-avatar', href: profileHref, 'aria-label': t('card.profileOf', { handle }) }, avatar(handle, 44)),
    social ? h('div', { class: 'rail-item' }, likeBtn, likeCount) : null,
    social ? h('div', { class: 'rail-item' }, commentBtn, commentCount) : null,
    social ? h('div', { class: 'rail-item' }, remixBtn, h('span', { class: 'rail-count' }, t('card.remix'))) : null,
    social ? h('div', { class: 'rail-item' }, shareBtn, shareCount) : null,
    h('div', { class: 'rail-item' }, moreMenuBtn),
  ));

  const bar = h('div', { class: 'card-progress', 'aria-hidden': 'true' }, h('div', { class: 'card-progress-fill' }));
  card.appendChild(bar);

  // Tap to pause, double tap to like.
  let tapTimer = 0;
  media.addEventListener('click', () => {
    if (tapTimer) {
      clearTimeout(tapTimer);
      tapTimer = 0;
      if (social) like(true);
      return;
    }
    tapTimer = setTimeout(() => {
      tapTimer = 0;
      togglePause(card);
    }, 260);
  });

  if (videoEl) wireWatch(card, videoEl, bar.firstChild);
  card.like = social ? like : null;
  return card;
}

// Feed items carry no visibility (they are all published); a clip fetched on its own does.
function isPublished(video) {
  return !video.visibility || video.visibility === 'published';
}

function paintFollow(btn, handle, following) {
  btn.textContent = following ? t('follow.following') : t('follow.follow');
  btn.classList.toggle('on', following);
  btn.setAttribute('aria-pressed', String(following));
  btn.setAttribute('aria-label', following ? t('follow.unfollowHandle', { handle }) : t('follow.followHandle', { handle }));
}

// ---- "…" menu ----

function openMenu(video, card, onRemove) {
  const handle = video.author ? video.author.handle : '';
  const item = (iconName, label, onClick, testid) => h('button', { type: 'button', class: 'menu-item', testid, onclick: onClick }, icon(iconName), h('span', {}, label));
  const sheet = openSheet({
    title: t('menu.title'),
    className: 'menu-sheet',
    body: h('div', { class: 'menu-list' },
      isMe(handle) ? null : item('eyeOff', t('menu.seeLess'), async () => {
        if (!requireLogin()) { sheet.close(); return; }
        sheet.close();
        try {
          await post(`/api/videos/${enc(video.id)}/see-less`);
          toast(t('menu.seeLessDone'), { kind: 'success' });
          if (onRemove) onRemove(card);
        } catch (err) {
          toast(errorText(err), { kind: 'error' });
        }
      }, 'see-less-button'),
      isPublished(video) ? item('link', t('menu.copyLink'), () => { sheet.close(); shareLink(`${location.origin}/v/${video.id}`); }, 'copy-link-button') : null,
      downloadItem(video, () => sheet.close()),
      isMe(handle) ? null : item('flag', t('menu.report'), () => {
        sheet.close();
        if (!requireLogin()) return;
        openReport(video, card, onRemove);
      }, 'report-button'),
      item('user', t('menu.viewProfile', { handle }), () => { sheet.close(); navigate(`/@${enc(handle)}`); }, 'view-profile-button'),
      ...(isMe(handle) ? ownItems(video, card, onRemove, () => sheet.close(), item) : []),
    ),
  });
}

// The author's own clip: back to drafts (published clips) and delete (any), each after a confirmation.
function ownItems(video, card, onRemove, close, item) {
  const unpublish = video.visibility === 'published' ? item('eyeOff', t('menu.unpublish'), async () => {
    close();
    const ok = await confirmDialog({ title: t('menu.unpublishTitle'), message: t('menu.unpublishText'), confirmLabel: t('menu.unpublish') });
    if (!ok) return;
    try {
      await post(`/api/videos/${enc(video.id)}/unpublish`);
      video.visibility = 'draft';
      toast(t('menu.unpublished'), { kind: 'success', action: { href: '/drafts', label: t('nav.drafts') } });
      if (onRemove) onRemove(card);
    } catch (err) {
      toast(errorText(err), { kind: 'error' });
    }
  }, 'unpublish-button') : null;
  const remove = item('trash', t('draft.delete'), async () => {
    close();
    const ok = await confirmDialog({ title: t('draft.deleteTitle'), message: t('draft.deleteText'), confirmLabel: t('draft.delete'), danger: true });
    if (!ok) return;
    try {
      await del(`/api/videos/${enc(video.id)}`);
      toast(t('draft.deleted'));
      if (onRemove) onRemove(card);
    } catch (err) {
      toast(errorText(err), { kind: 'error' });
    }
  }, 'delete-clip-button');
  remove.classList.add('danger-text');
  return [unpublish, remove];
}

// The clip's own file (watermarked, C2PA-signed), saved to post elsewhere: the server names it.
export function downloadHref(video) {
  if (!video.urls || !video.urls.video) return null;
  return `${video.urls.video}${video.urls.video.includes('?') ? '&' : '?'}download=1`;
}

export function downloadName(video) {
  return `figment-${video.author ? video.author.handle : 'clip'}-${video.id}.mp4`;
}

function downloadItem(video, close) {
  const href = downloadHref(video);
  if (!href) return null;
  return h('a', { class: 'menu-item', href, download: downloadName(video), testid: 'download-button', onclick: close },
    icon('download'), h('span', {}, t('menu.download')));
}

// The sentence for why a clip is in For You, in the viewer's language; the API's English text for a
// reason this client does not know yet.
function reasonText(video) {
  const code = video.reason;
  if (!code) return video.reason_text || '';
  const key = code === 'collaborative' && !video.reason_subject ? 'reason.collaborativeAny' : `reason.${code}`;
  const needsSubject = ['similar', 'collaborative', 'steered'].includes(code) && key !== 'reason.collaborativeAny';
  if (needsSubject && !video.reason_subject) return video.reason_text || '';
  const text = t(key, { subject: video.reason_subject || '' });
  return text === key ? video.reason_text || '' : text;
}
