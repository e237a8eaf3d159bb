// A tag's page (/tag/{name}): its published clips, newest first, with "more" for the next page.

import { h, icon, emptyState, errorState, spinner, setTitle } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort, ApiError } from './api.js';
import { clipTile, arrowKeys } from './results.js';

export function tagView(ctx) {
  const name = ctx.params[0].replace(/^#/, '');
  setTitle(`#${name}`);
  const back = h('button', {
    type: 'button', class: 'icon-button', testid: 'back-button', 'aria-label': t('common.back'),
    onclick: () => { if (history.length > 1) history.back(); else ctx.navigate('/discover'); },
  }, icon('back'));
  const title = h('h1', { class: 'top-title', testid: 'tag-title' }, `#${name}`);
  const grid = h('div', { class: 'clip-grid result-grid', testid: 'tag-clips' });
  const body = h('div', { class: 'page-body' }, spinner());
  arrowKeys(body);

  const load = (cursor = null) => {
    get(`/api/tags/${enc(name)}/clips?limit=24${cursor ? `&cursor=${enc(cursor)}` : ''}`, { signal: ctx.signal }).then((data) => {
      title.textContent = `#${data.tag}`;
      setTitle(`#${data.tag}`);
      if (!cursor && !data.items.length) {
        body.replaceChildren(emptyState({ iconName: 'film', title: t('tag.emptyTitle'), text: t('tag.emptyText', { tag: data.tag }), testid: 'tag-empty' }));
        return;
      }
      if (!cursor) body.replaceChildren(grid);
      grid.append(...data.items.map((v) => clipTile(v, { testid: 'tag-clip' })));
      const old = body.querySelector('.search-more');
      if (old) old.remove();
      if (data.next_cursor) {
        body.appendChild(h('button', { type: 'button', class: 'btn ghost search-more', testid: 'tag-more', onclick: () => load(data.next_cursor) }, t('search.more')));
      }
    }).catch((err) => {
      if (isAbort(err)) return;
      const bad = err instanceof ApiError && err.status === 422;
      body.replaceChildren(bad
        ? emptyState({ iconName: 'alert', title: t('tag.badTitle'), text: t('tag.badText'), testid: 'tag-bad' })
        : errorState({ error: err, onRetry: () => load() }));
    });
  };
  load();
  return h('section', { class: 'page tag-view', testid: 'tag-page' },
    h('header', { class: 'top-bar' }, back, title, h('span')), body);
}
