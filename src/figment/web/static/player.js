// The Player: autoplays whichever clip card is on screen in a scroller, loads sources ahead, pauses
// when the tab hides, answers the keyboard (j/k, space, m, l), and reports watch time as a card leaves.

import { reducedMotion } from './ui.js';
import { isMuted, setMuted } from './sound.js';
import { newWatch, sendView } from './watch.js';

function attachSource(card) {
  const v = card.querySelector('video');
  if (v && !v.getAttribute('src') && v.dataset.src) v.src = v.dataset.src;
}

export function togglePause(card) {
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
  v.muted = isMuted();
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
    else if (event.key === 'm') setMuted(!isMuted());
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
