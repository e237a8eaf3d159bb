// Watch reporting: how long a card's clip played and whether it reached its end, sent to the
// server (POST /api/videos/{id}/view) as the signals the feed learns taste from; the same events
// drive the card's progress bar.

import { post, enc } from './api.js';
import { currentUser } from './session.js';

// Watch time is reported when the clip first reaches its end (or the card leaves before that), and
// once more when the card leaves if it kept looping: the server adds them up to tell a rewatch.
export function newWatch() {
  return { ms: 0, since: null, completed: false, sentMs: 0, sentCompleted: false, reports: 0 };
}

export function wireWatch(card, videoEl, fill) {
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

export function sendView(card) {
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
