// Result rows shared by search, Discover and tag pages: clip tiles, people, tags, and keyboard moves
// between them (every result is a link: Tab reaches it, Enter opens it; arrow keys move too).

import { h, icon, avatar, formatCount } from './ui.js';
import { t } from './i18n.js';
import { enc } from './api.js';
import { tagHref } from './hashtags.js';

export function clipTile(video, { reason = '', testid = 'result-clip' } = {}) {
  const poster = video.urls && video.urls.poster;
  // Named by what it shows (prompt, author, reason, likes), so what is read out is what is seen.
  return h('a', { class: 'tile result-tile', href: `/v/${enc(video.id)}`, testid, dataset: { videoId: video.id } },
    poster ? h('img', { src: poster, alt: '', loading: 'lazy' }) : null,
    h('span', { class: 'tile-caption' }, video.prompt),
    h('span', { class: 'visually-hidden' }, ` · @${video.author.handle} · `),
    reason ? h('span', { class: 'tile-reason' }, reason) : null,
    h('span', { class: 'tile-likes' }, icon('heart'), formatCount(video.like_count)));
}

export function personRow(person, { reason = '', testid = 'result-user' } = {}) {
  const name = person.display_name || '';
  return h('a', { class: 'result-row', href: `/@${enc(person.handle)}`, testid, dataset: { handle: person.handle } },
    avatar(person.handle, 40),
    h('span', { class: 'result-text' },
      h('span', { class: 'result-title' }, name || `@${person.handle}`),
      h('span', { class: 'result-sub' }, [name ? `@${person.handle}` : '', reason].filter(Boolean).join(' · ') || t('search.person'))));
}

export function tagRow(tag, { reason = '', testid = 'result-tag' } = {}) {
  const sub = reason || (tag.clip_count >= 100 ? t('search.tagClipsMany') : t('search.tagClips', { count: tag.clip_count }));
  return h('a', { class: 'result-row', href: tagHref(tag.name), testid, dataset: { tag: tag.name } },
    h('span', { class: 'result-icon', 'aria-hidden': 'true' }, '#'),
    h('span', { class: 'result-text' },
      h('span', { class: 'result-title' }, `#${tag.name}`),
      h('span', { class: 'result-sub' }, sub)));
}

// Arrow keys move between the results of `container` (links), in reading order; Up on the first one
// goes back to `input` when given. Home/End jump to the ends.
export function arrowKeys(container, input = null) {
  container.addEventListener('keydown', (event) => {
    if (!['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'Home', 'End'].includes(event.key)) return;
    const links = [...container.querySelectorAll('a[href]')];
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    let next = at;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') next = Math.min(links.length - 1, at + 1);
    if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') next = at - 1;
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = links.length - 1;
    event.preventDefault();
    if (next < 0) { if (input) input.focus(); return; }
    links[next].focus();
  });
  if (input) {
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown') return;
      const first = container.querySelector('a[href]');
      if (first) { event.preventDefault(); first.focus(); }
    });
  }
}
