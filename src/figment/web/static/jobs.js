// Rendering status shared by Create, Drafts and the clip page: labels, progress bar, polling.

import { h } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort, ApiError } from './api.js';

export const PENDING = new Set(['queued', 'rendering']);

export function isPending(video) {
  return Boolean(video && PENDING.has(video.status));
}

export function percent(video) {
  if (!video) return 0;
  if (video.status === 'ready') return 100;
  const p = Number(video.progress);
  return Number.isFinite(p) ? Math.max(0, Math.min(100, Math.round(p))) : 0;
}

export function statusLabel(video) {
  switch (video.status) {
    case 'queued': return t('status.queued');
    case 'rendering': return t('status.rendering', { progress: percent(video) });
    case 'ready': return video.visibility === 'published' ? t('status.published') : t('status.ready');
    case 'failed': return t('status.failed');
    case 'blocked': return t('status.blocked');
    default: return String(video.status || '');
  }
}

export function statusBadge(video) {
  return h('span', { class: `status-badge status-${video.status}`, testid: 'status-badge' }, statusLabel(video));
}

export function progressBar(video) {
  const fill = h('div', { class: 'progress-fill' });
  const bar = h('div', {
    class: 'progress',
    testid: 'progress',
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-label': t('status.progressLabel'),
  }, fill);
  paintProgress(bar, video);
  return bar;
}

export function paintProgress(bar, video) {
  const value = percent(video);
  bar.setAttribute('aria-valuenow', String(value));
  bar.setAttribute('aria-valuetext', statusLabel(video));
  bar.dataset.value = String(value);
  bar.dataset.status = video.status;
  bar.classList.toggle('indeterminate', video.status === 'queued');
  bar.classList.toggle('failed', video.status === 'failed' || video.status === 'blocked');
  bar.firstChild.style.width = `${video.status === 'queued' ? 100 : value}%`;
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  if (signal) signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

// Polls GET /api/videos/{id} about once a second until the clip leaves queued/rendering.
// onUpdate(video) gets each fresh copy; onUpdate(null) when the clip is gone (404).
export async function pollVideo(id, { signal, onUpdate, interval = 1000 }) {
  let wait = interval;
  while (!signal.aborted) {
    await sleep(wait, signal);
    if (signal.aborted) return;
    try {
      const video = await get(`/api/videos/${enc(id)}`, { signal });
      wait = interval;
      onUpdate(video);
      if (!isPending(video)) return;
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        onUpdate(null);
        return;
      }
      wait = Math.min(wait * 2, 10000); // server hiccup: back off, keep trying
    }
  }
}
