// The full-height clip card shared by the feed and the single-clip page, and the Player that
// autoplays whichever card is on screen and reports watch time when it leaves.

import { h, icon, avatar, formatCount, toast, openSheet, shareLink, timeAgo, spinner, errorState, reducedMotion } from './ui.js';
import { t } from './i18n.js';
import { get, post, del, enc } from './api.js';
import { currentUser, isMe, loginUrl, followState, setFollow, onFollowChange } from './session.js';
import { navigate } from './router.js';
import { readPref, writePref } from './prefs.js';

// ---- Sound: one switch for every clip, remembered across visits ----

let muted = readPref('muted', '1') !== '0';

export function isMuted() {
  return muted;
}

export function setMuted(value, { persist = true } = {}) {
  muted = Boolean(value);
  if (persist) writePref('muted', muted ? '1' : '0');
  for (const video of document.querySelectorAll('video[data-testid="video"]')) video.muted = muted;
  for (const btn of document.querySelectorAll('[data-testid="sound-toggle"]')) paintSound(btn);
}

function paintSound(btn) {
  btn.replaceChildren(icon(muted ? 'soundOff' : 'soundOn'));
  btn.setAttribute('aria-label', muted ? t('card.soundOn') : t('card.soundOff'));
  btn.setAttribute('aria-pressed', String(!muted));
  btn.dataset.muted = String(muted);
}

// ---- Card ----

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
    videoEl.muted = muted;
    videoEl.defaultMuted = true;
    videoEl.dataset.src = video.urls.video;
    videoEl.addEventListener('error', () => {
      if (!videoEl.getAttribute('src')) return;
      card.classList.add('broken');
      media.appendChild(h('div', { class: 'card-unavailable overlay', testid: 'video-error' }, icon('alert'), h('p', {}, t('card.playError'))));
    }, { once: true });
    media.appendChild(videoEl);
  } else {
    media.appendChild(h('div', { class: 'card-unavailable' }, icon('film'), h('p', {}, video.error || t('card.unavailable'))));
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
    setMuted(!muted);
    if (videoEl && !muted && card.classList.contains('active') && videoEl.paused && !card.userPaused) videoEl.play().catch(() => {});
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
        toast(err.message, { kind: 'error' });
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
  const promptEl = h('p', { class: 'card-prompt clamped', id: promptId, testid: 'prompt-text' }, video.prompt || '');
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
    if (!requireLogin()) return;
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
      toast(err.message, { kind: 'error' });
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
    shareLink(`${location.origin}/v/${video.id}`);
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

  card.appendChild(h('div', { class: 'card-rail' },
    h('a', { class: 'rail-avatar', href: profileHref, 'aria-label': t('card.profileOf', { handle }) }, avatar(handle, 44)),
    h('div', { class: 'rail-item' }, likeBtn, likeCount),
    h('div', { class: 'rail-item' }, commentBtn, commentCount),
    h('div', { class: 'rail-item' }, remixBtn, h('span', { class: 'rail-count' }, t('card.remix'))),
    h('div', { class: 'rail-item' }, shareBtn, shareCount),
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
      like(true);
      return;
    }
    tapTimer = setTimeout(() => {
      tapTimer = 0;
      togglePause(card);
    }, 260);
  });

  if (videoEl) wireWatch(card, videoEl, bar.firstChild);
  card.like = like;
  return card;
}

function paintFollow(btn, handle, following) {
  btn.textContent = following ? t('follow.following') : t('follow.follow');
  btn.classList.toggle('on', following);
  btn.setAttribute('aria-pressed', String(following));
  btn.setAttribute('aria-label', following ? t('follow.unfollowHandle', { handle }) : t('follow.followHandle', { handle }));
}

// ---- Playback and watch time ----

// Watch time is reported when the clip first reaches its end (or the card leaves before that), and
// once more when the card leaves if it kept looping: the server adds them up to tell a rewatch.
function newWatch() {
  return { ms: 0, since: null, completed: false, sentMs: 0, sentCompleted: false, reports: 0 };
}

function wireWatch(card, videoEl, fill) {
  const settle = () => {
    const w = card.watch;
    if (w.since != null) {
      w.ms += performance.now() - w.since;
      w.since = null;
    }
  };
  videoEl.addEventListener('playing', () => {
    card.watch.since = performance.now();
    card.classList.remove('paused');
  });
  videoEl.addEventListener('pause', settle);
  videoEl.addEventListener('waiting', settle);
  videoEl.addEventListener('timeupdate', () => {
    const d = videoEl.duration;
    if (!d || !Number.isFinite(d)) return;
    fill.style.transform = `scaleX(${Math.min(1, videoEl.currentTime / d)})`;
    if (videoEl.currentTime >= d - 0.35) completeOnce(card);
  });
  videoEl.addEventListener('seeking', () => {
    // A looping clip seeks back to 0 at its end: that is one completed watch.
    const d = videoEl.duration;
    if (card.classList.contains('active') && d && videoEl.currentTime < 0.5 && card.lastTime > d - 0.8) completeOnce(card);
  });
  videoEl.addEventListener('timeupdate', () => { card.lastTime = videoEl.currentTime; });
  videoEl.addEventListener('ended', () => completeOnce(card));
  card.settleWatch = settle;
}

function completeOnce(card) {
  if (card.watch.completed) return;
  card.watch.completed = true;
  sendView(card);
}

function sendView(card) {
  const w = card.watch;
  if (card.settleWatch) card.settleWatch();
  if (w.since == null && card.classList.contains('active')) {
    const v = card.querySelector('video');
    if (v && !v.paused) w.since = performance.now();
  }
  const ms = Math.round(w.ms - w.sentMs);
  const completed = w.completed && !w.sentCompleted;
  if (ms < 1 && !completed) return;
  if (w.reports > 0 && ms < 1000) return; // after the first report, only a real stretch of rewatching
  w.sentMs += ms;
  w.sentCompleted = w.completed;
  w.reports += 1;
  if (!currentUser()) return;
  post(`/api/videos/${enc(card.video.id)}/view`, { watched_ms: ms, completed }, { keepalive: true })
    .catch(() => { /* watch events are best effort */ });
}

function attachSource(card) {
  const v = card.querySelector('video');
  if (v && !v.getAttribute('src') && v.dataset.src) v.src = v.dataset.src;
}

function togglePause(card) {
  const v = card.querySelector('video');
  if (!v) return;
  if (v.paused) {
    card.userPaused = false;
    card.classList.remove('paused');
    v.play().catch(() => {});
  } else {
    card.userPaused = true;
    card.classList.add('paused');
    v.pause();
  }
}

function startPlayback(card) {
  const v = card.querySelector('video');
  if (!v) return;
  attachSource(card);
  card.userPaused = false;
  card.classList.remove('paused');
  card.lastTime = 0;
  v.muted = muted;
  try { if (v.currentTime > 0) v.currentTime = 0; } catch { /* not seekable yet */ }
  const attempt = v.play();
  if (attempt && attempt.catch) {
    attempt.catch((err) => {
      if (err && err.name === 'NotAllowedError' && !v.muted) {
        // The browser wants a tap before sound: play muted and show the switch as off.
        setMuted(true, { persist: false });
        v.play().catch(() => card.classList.add('paused'));
      } else if (err && err.name !== 'AbortError') {
        card.classList.add('paused');
      }
    });
  }
}

function stopPlayback(card) {
  const v = card.querySelector('video');
  if (v && !v.paused) v.pause();
  sendView(card);
  card.watch = newWatch();
}

export class Player {
  constructor(scroller, { onActive = null } = {}) {
    this.scroller = scroller;
    this.active = null;
    this.onActive = onActive;
    this.visible = new IntersectionObserver((entries) => this.onIntersect(entries), { root: scroller, threshold: [0, 0.6, 1] });
    this.near = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) attachSource(entry.target);
    }, { root: scroller, rootMargin: '120% 0px' });
    this.onVisibility = () => {
      if (!this.active) return;
      if (document.hidden) stopPlayback(this.active);
      else startPlayback(this.active);
    };
    this.onKey = (event) => this.handleKey(event);
    document.addEventListener('visibilitychange', this.onVisibility);
    document.addEventListener('keydown', this.onKey);
  }

  observe(card) {
    this.visible.observe(card);
    this.near.observe(card);
  }

  unobserve(card) {
    this.visible.unobserve(card);
    this.near.unobserve(card);
    if (this.active === card) this.deactivate(card);
    (card.cleanups || []).forEach((fn) => fn());
  }

  onIntersect(entries) {
    for (const entry of entries) {
      if (entry.isIntersecting && entry.intersectionRatio >= 0.6) this.activate(entry.target);
      else if (entry.target === this.active) this.deactivate(entry.target);
    }
  }

  activate(card) {
    if (this.active === card) return;
    if (this.active) this.deactivate(this.active);
    this.active = card;
    card.classList.add('active');
    if (!document.hidden) startPlayback(card);
    if (this.onActive) this.onActive(card);
  }

  deactivate(card) {
    card.classList.remove('active');
    stopPlayback(card);
    if (this.active === card) this.active = null;
  }

  step(direction) {
    // Every page of the feed is one viewport tall, so the scroll offset says where we are,
    // even mid-animation when no card is active.
    const pages = [...this.scroller.children].filter((el) => el.offsetHeight >= this.scroller.clientHeight - 2);
    if (!pages.length) return;
    const here = Math.round(this.scroller.scrollTop / Math.max(1, this.scroller.clientHeight));
    const next = pages[Math.max(0, Math.min(pages.length - 1, here + direction))];
    this.scroller.scrollTo({ top: next.offsetTop, behavior: reducedMotion() ? 'auto' : 'smooth' });
  }

  handleKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.closest('input, textarea, select, [contenteditable], dialog') || document.querySelector('dialog[open]'))) return;
    if (target && target.closest('button, a') && (event.key === ' ' || event.key === 'Enter')) return;
    if (event.key === 'ArrowDown' || event.key === 'j' || event.key === 'PageDown') { event.preventDefault(); this.step(1); }
    else if (event.key === 'ArrowUp' || event.key === 'k' || event.key === 'PageUp') { event.preventDefault(); this.step(-1); }
    else if (event.key === 'm') setMuted(!muted);
    else if (event.key === ' ' && this.active) { event.preventDefault(); togglePause(this.active); }
    else if (event.key === 'l' && this.active && this.active.like) this.active.like(false);
  }

  destroy() {
    if (this.active) this.deactivate(this.active);
    this.visible.disconnect();
    this.near.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('keydown', this.onKey);
    for (const card of this.scroller.querySelectorAll('[data-testid="feed-card"]')) {
      (card.cleanups || []).forEach((fn) => fn());
      const v = card.querySelector('video');
      if (v) { v.pause(); v.removeAttribute('src'); v.load(); }
    }
  }
}

// ---- Comments sheet ----

function commentItem(comment) {
  const who = comment.author ? comment.author.handle : '?';
  return h('li', { class: 'comment', testid: 'comment', dataset: { commentId: comment.id } },
    h('a', { href: `/@${enc(who)}`, class: 'comment-avatar', 'aria-hidden': 'true', tabindex: '-1' }, avatar(who, 34)),
    h('div', { class: 'comment-main' },
      h('div', { class: 'comment-head' },
        h('a', { href: `/@${enc(who)}`, class: 'comment-handle' }, `@${who}`),
        h('span', { class: 'comment-time' }, timeAgo(comment.created_at))),
      h('p', { class: 'comment-body' }, comment.body)));
}

export function openComments(video, card) {
  const list = h('ul', { class: 'comment-list', testid: 'comment-list' });
  const body = h('div', { class: 'comments' }, spinner());
  const titleText = () => t('comments.title', { count: video.comment_count || 0 });
  let footer;
  let input = null;
  if (currentUser()) {
    input = h('input', {
      class: 'input', testid: 'comment-input', name: 'body', maxlength: '500', autocomplete: 'off',
      placeholder: t('comments.placeholder'), 'aria-label': t('comments.placeholder'),
    });
    const send = h('button', { type: 'submit', class: 'icon-button send', testid: 'comment-submit', 'aria-label': t('comments.send'), disabled: true }, icon('send'));
    const error = h('p', { class: 'field-error', role: 'alert', testid: 'comment-error' });
    footer = h('form', { class: 'comment-form', testid: 'comment-form', novalidate: true },
      avatar(currentUser().handle, 32), input, send, error);
    input.addEventListener('input', () => {
      send.disabled = !input.value.trim();
      error.textContent = '';
    });
    footer.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      send.disabled = true;
      input.disabled = true;
      try {
        const comment = await post(`/api/videos/${enc(video.id)}/comments`, { body: text });
        input.value = '';
        body.querySelector('.state')?.remove();
        if (!list.isConnected) body.replaceChildren(list);
        list.prepend(commentItem(comment || { id: '', author: { handle: currentUser().handle }, body: text, created_at: new Date().toISOString() }));
        if (card && card.setCommentCount) card.setCommentCount((video.comment_count || 0) + 1);
        else video.comment_count = (video.comment_count || 0) + 1;
        sheet.heading.textContent = titleText();
      } catch (err) {
        error.textContent = err.message;
      } finally {
        input.disabled = false;
        send.disabled = !input.value.trim();
        input.focus();
      }
    });
  } else {
    footer = h('a', { class: 'btn primary block', href: loginUrl(), testid: 'comment-login' }, t('comments.loginToComment'));
  }
  const sheet = openSheet({ title: titleText(), body, footer, className: 'comments-sheet' });
  if (input) setTimeout(() => input.focus(), 60);

  const load = () => {
    body.replaceChildren(spinner());
    get(`/api/videos/${enc(video.id)}/comments`).then((data) => {
      const items = (data && data.items) || [];
      items.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      if (!items.length) {
        body.replaceChildren(h('div', { class: 'state compact' }, h('p', { class: 'state-text' }, t('comments.empty'))), list);
        return;
      }
      list.replaceChildren(...items.map(commentItem));
      body.replaceChildren(list);
    }).catch((err) => {
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  return sheet;
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
          toast(err.message, { kind: 'error' });
        }
      }, 'see-less-button'),
      item('link', t('menu.copyLink'), () => { sheet.close(); shareLink(`${location.origin}/v/${video.id}`); }, 'copy-link-button'),
      isMe(handle) ? null : item('flag', t('menu.report'), () => {
        sheet.close();
        if (!requireLogin()) return;
        openReport(video, card, onRemove);
      }, 'report-button'),
      item('user', t('menu.viewProfile', { handle }), () => { sheet.close(); navigate(`/@${enc(handle)}`); }, 'view-profile-button'),
    ),
  });
}


// ---- Report ----

const REPORT_REASONS = ['sexual', 'minor_safety', 'violence', 'hate', 'self_harm', 'harassment', 'impersonation', 'spam', 'other'];

function openReport(video, card, onRemove) {
  const choices = h('div', { class: 'choices', role: 'radiogroup', 'aria-label': t('report.why') },
    ...REPORT_REASONS.map((code) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'report-reason', value: code, testid: `report-reason-${code}` }),
      h('span', {}, t(`report.reason.${code}`)))));
  const note = h('textarea', { class: 'input', rows: 3, maxlength: 2000, placeholder: t('report.notePlaceholder'), 'aria-label': t('report.note'), testid: 'report-note' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const send = h('button', { type: 'button', class: 'btn primary block', testid: 'report-send' }, t('report.send'));
  const sheet = openSheet({
    title: t('report.title'),
    body: h('div', { class: 'report-form' }, h('p', { class: 'field-hint' }, t('report.intro')), choices,
      h('div', { class: 'field' }, note), error),
    footer: send,
    className: 'report-sheet',
  });
  choices.addEventListener('change', () => { error.textContent = ''; });
  send.addEventListener('click', async () => {
    const picked = choices.querySelector('input:checked');
    if (!picked) { error.textContent = t('report.pickReason'); return; }
    send.disabled = true;
    error.textContent = '';
    try {
      await post('/api/reports', { subject_type: 'video', subject_id: video.id, reason: picked.value, note: note.value.trim() });
      sheet.close();
      toast(t('report.sent'), { kind: 'success' });
      if (onRemove) onRemove(card); // it will not come back in your feed
    } catch (err) {
      error.textContent = err.message; // the server's reason, e.g. already reported
      send.disabled = false;
    }
  });
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
