// The vertical feed: For You and Following tabs, snap scrolling, infinite loading by cursor.

import { h, icon, emptyState, errorState, spinner, setTitle } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort } from './api.js';
import { currentUser, loginUrl } from './session.js';
import { videoCard } from './card.js';
import { Player } from './player.js';
import { steerButton, openSteer } from './steer.js';
import { appMenuButton } from './links.js';

const PAGE_SIZE = 8;
const CACHE_MS = 10 * 60 * 1000;
// Coming back to the feed (from a profile, a comment link...) resumes where the person was.
const cache = new Map();

// What one person saw (likes, follows) is not what the next person sees.
export function clearFeedCache() {
  cache.clear();
}

export function brandMark() {
  return h('a', { class: 'brand', href: '/', 'aria-label': 'Figment' }, icon('sparkle'), h('span', { class: 'brand-name' }, 'Figment'));
}

export function feedTabs(tab) {
  const link = (name, href, label, testid) => h('a', {
    href, testid, class: `feed-tab${tab === name ? ' active' : ''}`,
    'aria-current': tab === name ? 'page' : null,
    onclick: (event) => {
      // Tapping the tab you are on reloads it from the top, like every feed app.
      if (tab === name) cache.delete(name);
    },
  }, label);
  return h('nav', { class: 'feed-tabs', 'aria-label': t('feed.tabs') },
    link('following', '/following', t('feed.following'), 'tab-following'),
    link('for_you', '/', t('feed.forYou'), 'tab-for-you'));
}

export function feedView(ctx, tab) {
  setTitle(tab === 'following' ? t('feed.following') : null);
  const scroller = h('div', { class: 'feed', testid: 'feed', dataset: { tab }, 'aria-label': t('feed.label'), 'aria-busy': 'true' });
  // "Steer my feed" sits on the For You feed itself (signed in): after saving, the cards fetched ahead
  // are dropped and the next page is asked for, so the very next swipe shows the change.
  // The right corner is the clip's sound switch (card.js); the menu and steering sit on the left.
  const steer = tab === 'for_you' && currentUser() ? steerButton({ onSaved: () => restartAfterActive() }) : null;
  const view = h('section', { class: 'feed-view' },
    h('header', { class: 'feed-top' }, h('div', { class: 'feed-top-start' }, appMenuButton(), steer), feedTabs(tab),
      h('span', { class: 'feed-top-spacer' })),
    scroller);

  if (tab === 'following' && !currentUser()) {
    scroller.setAttribute('aria-busy', 'false');
    scroller.appendChild(emptyState({
      iconName: 'userPlus',
      title: t('feed.followingLoggedOutTitle'),
      text: t('feed.followingLoggedOutText'),
      actions: [
        h('a', { class: 'btn primary', href: loginUrl('/following') }, t('auth.login')),
        h('a', { class: 'btn ghost', href: '/' }, t('feed.forYou')),
      ],
    }));
    return view;
  }

  const cached = cache.get(tab);
  const state = cached && Date.now() - cached.at < CACHE_MS
    ? cached
    : { items: [], cursor: null, done: false, activeId: null, at: Date.now() };
  cache.set(tab, state);
  const seen = new Set(state.items.map((v) => v.id));
  let loading = false;
  let tail = null;

  const player = new Player(scroller, {
    onActive(card) {
      state.activeId = card.video ? card.video.id : null;
      const cards = scroller.querySelectorAll('[data-testid="feed-card"]');
      const index = [...cards].indexOf(card);
      if (index >= cards.length - 3) loadMore();
    },
  });

  const removeCard = (card) => {
    state.items = state.items.filter((v) => v !== card.video);
    player.unobserve(card);
    card.classList.add('leaving');
    setTimeout(() => {
      card.remove();
      if (!scroller.querySelector('[data-testid="feed-card"]')) showEmpty();
    }, 250);
  };

  const addCards = (videos) => {
    const frag = document.createDocumentFragment();
    const made = videos.map((video) => videoCard(video, { tab, onRemove: removeCard }));
    made.forEach((card) => frag.appendChild(card));
    if (tail) scroller.insertBefore(frag, tail);
    else scroller.appendChild(frag);
    made.forEach((card) => player.observe(card));
  };

  const setTail = (el) => {
    if (tail) tail.remove();
    tail = el;
    if (el) scroller.appendChild(el);
  };

  const showEmpty = () => {
    scroller.querySelectorAll('.state, .feed-end').forEach((el) => el.remove());
    setTail(null);
    scroller.appendChild(tab === 'following'
      ? emptyState({
        iconName: 'userPlus',
        title: t('feed.followingEmptyTitle'),
        text: t('feed.followingEmptyText'),
        actions: [h('a', { class: 'btn primary', href: '/' }, t('feed.discover'))],
      })
      : emptyState({
        iconName: 'sparkle',
        title: t('feed.emptyTitle'),
        text: t('feed.emptyText'),
        actions: [h('a', { class: 'btn primary', href: '/create' }, icon('plus'), t('feed.createFirst'))],
      }));
  };

  const endCard = () => h('div', { class: 'feed-end', testid: 'feed-end' }, emptyState({
    iconName: 'check',
    title: t('feed.endTitle'),
    text: t('feed.endText'),
    actions: [
      h('a', { class: 'btn primary', href: '/create' }, icon('plus'), t('feed.makeOne')),
      tab === 'for_you' && currentUser() ? h('a', { class: 'btn ghost', href: '/following', testid: 'end-following' }, icon('userPlus'), t('feed.followingLink')) : null,
      tab === 'for_you' && currentUser() ? h('button', {
        type: 'button', class: 'btn ghost', testid: 'end-steer', onclick: () => openSteer({ onSaved: () => { cache.delete(tab); ctx.navigate(ctx.path, { replace: true }); } }),
      }, icon('sliders'), t('steer.title')) : null,
      h('button', {
        type: 'button', class: 'btn ghost',
        onclick: () => { cache.delete(tab); ctx.navigate(ctx.path, { replace: true }); },
      }, icon('refresh'), t('feed.refresh')),
    ],
  }));

  // Keep what was seen up to the clip on screen; forget the rest and fetch the next page anew.
  function restartAfterActive() {
    const cards = [...scroller.querySelectorAll('[data-testid="feed-card"]')];
    const at = Math.max(0, cards.findIndex((card) => card.video && card.video.id === state.activeId));
    for (const card of cards.slice(at + 1)) {
      player.unobserve(card);
      card.remove();
      seen.delete(card.video.id);
    }
    state.items = state.items.slice(0, at + 1);
    state.done = false;
    setTail(null);
    loadMore();
  }

  async function loadMore() {
    if (loading || state.done || ctx.signal.aborted) return;
    loading = true;
    const first = state.items.length === 0;
    if (first) {
      scroller.querySelectorAll('.state').forEach((el) => el.remove());
      setTail(h('div', { class: 'feed-loading' }, spinner(t('feed.loading'))));
    } else {
      setTail(h('div', { class: 'feed-more' }, spinner(t('feed.loadingMore'))));
    }
    try {
      const query = `tab=${enc(tab)}&limit=${PAGE_SIZE}${state.cursor ? `&cursor=${enc(state.cursor)}` : ''}`;
      const data = await get(`/api/feed?${query}`, { signal: ctx.signal });
      const fresh = ((data && data.items) || []).filter((v) => v && v.id && !seen.has(v.id));
      fresh.forEach((v) => seen.add(v.id));
      state.items.push(...fresh);
      state.cursor = data ? data.next_cursor || null : null;
      state.done = !state.cursor;
      state.at = Date.now();
      setTail(null);
      addCards(fresh);
      if (!state.items.length) showEmpty();
      else if (state.done) setTail(endCard());
      else if (!fresh.length) {
        // A page of duplicates: keep walking the cursor.
        loading = false;
        loadMore();
        return;
      }
    } catch (err) {
      if (isAbort(err)) return;
      if (first) {
        setTail(null);
        scroller.appendChild(errorState({ error: err, title: t('feed.errorTitle'), onRetry: () => loadMore() }));
      } else {
        setTail(h('div', { class: 'feed-more' },
          h('p', { class: 'muted' }, err.message),
          h('button', { type: 'button', class: 'btn ghost small', testid: 'retry-button', onclick: () => loadMore() }, t('common.retry'))));
      }
    } finally {
      loading = false;
      scroller.setAttribute('aria-busy', 'false');
    }
  }

  if (state.items.length) {
    addCards(state.items);
    if (state.done) setTail(endCard());
    scroller.setAttribute('aria-busy', 'false');
    const activeId = state.activeId;
    requestAnimationFrame(() => {
      const card = activeId && scroller.querySelector(`[data-video-id="${CSS.escape(activeId)}"]`);
      if (card) scroller.scrollTop = card.offsetTop;
    });
  } else {
    loadMore();
  }

  ctx.signal.addEventListener('abort', () => {
    state.at = Date.now();
    player.destroy();
  });
  return view;
}
