// Discover (/discover, works logged out): trending tags, clips of the day, new creators and the
// characters you may use, each with the reason it is there, worded here from the server's code.

import { h, icon, emptyState, errorState, spinner, setTitle } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort } from './api.js';
import { clipTile, personRow, tagRow, arrowKeys } from './results.js';
import { searchBox } from './search.js';

export function reasonText(reason) {
  const counts = reason.counts || {};
  // Plural forms follow what the reason counts: clips for tags and characters, likes for clips.
  const count = 'clips' in counts && !('likes' in counts) ? counts.clips : counts.likes;
  const code = reason.code === 'new_creator' && counts.days === 0 ? 'new_creator_today' : reason.code;
  return t(`discover.reason.${code}`, { count, ...counts });
}

function section(title, testid, body) {
  const id = `discover-${testid}`;
  return h('section', { class: 'discover-section', testid, 'aria-labelledby': id },
    h('h2', { class: 'section-title', id }, title), body);
}

function characterRow(character) {
  return h('a', {
    class: 'result-row', testid: 'discover-character', dataset: { handle: character.handle },
    href: `/create?prompt=${enc(`@${character.handle} `)}`,
  },
  h('span', { class: 'result-icon', 'aria-hidden': 'true' }, icon('face')),
  h('span', { class: 'result-text' },
    h('span', { class: 'result-title' }, `@${character.handle}`),
    h('span', { class: 'result-sub' }, [t('discover.characterBy', { owner: character.owner }), reasonText(character.reason)].join(' · ')),
    character.description ? h('span', { class: 'result-sub' }, character.description) : null));
}

export function discoverView(ctx) {
  setTitle(t('discover.title'));
  const { form } = searchBox(ctx);
  const body = h('div', { class: 'discover-body' }, spinner());
  const page = h('section', { class: 'page discover-view', testid: 'discover-page' },
    h('header', { class: 'top-bar' }, h('span'), h('h1', { class: 'top-title' }, t('discover.title')), h('span')),
    h('div', { class: 'page-body' }, form, body));
  arrowKeys(body, form.querySelector('input'));

  const load = () => {
    body.replaceChildren(spinner());
    get('/api/discover', { signal: ctx.signal }).then((data) => {
      const parts = [];
      if (data.tags.length) {
        parts.push(section(t('discover.tags'), 'discover-tags', h('div', { class: 'result-list' },
          data.tags.map((tag) => tagRow({ name: tag.name }, { reason: reasonText(tag.reason), testid: 'discover-tag' })))));
      }
      if (data.clips.length) {
        parts.push(section(t('discover.clips'), 'discover-clips', h('div', { class: 'clip-grid result-grid' },
          data.clips.map((c) => clipTile(c.clip, { reason: reasonText(c.reason), testid: 'discover-clip' })))));
      }
      if (data.creators.length) {
        parts.push(section(t('discover.creators'), 'discover-creators', h('div', { class: 'result-list' },
          data.creators.map((c) => personRow(c, { reason: reasonText(c.reason), testid: 'discover-creator' })))));
      }
      if (data.characters.length) {
        parts.push(section(t('discover.characters'), 'discover-characters', h('div', { class: 'result-list' },
          data.characters.map(characterRow))));
      }
      body.replaceChildren(...(parts.length ? parts : [emptyState({ iconName: 'sparkle', title: t('discover.emptyTitle'), text: t('discover.emptyText') })]));
    }).catch((err) => {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  return page;
}
