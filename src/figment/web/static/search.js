// Search (/search?q=&type=): clips by meaning (in any language the server's embedder reads), people
// and tags; results as you type, keyboard-operable (results.js).

import { h, icon, emptyState, errorState, spinner, setTitle } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort, ApiError } from './api.js';
import { clipTile, personRow, tagRow, arrowKeys } from './results.js';

const TYPES = ['clips', 'users', 'tags'];

// The search box: a form with role=search; submitting goes to /search (or runs `onSearch` in place).
export function searchBox(ctx, { value = '', autofocus = false, onSearch = null } = {}) {
  const input = h('input', {
    type: 'search', class: 'input search-input', name: 'q', value, maxlength: '100', enterkeyhint: 'search',
    autocomplete: 'off', 'aria-label': t('search.label'), placeholder: t('search.placeholder'), testid: 'search-input',
  });
  const form = h('form', { class: 'search-box', role: 'search', testid: 'search-form' },
    h('span', { class: 'search-icon', 'aria-hidden': 'true' }, icon('search')), input,
    h('button', { type: 'submit', class: 'btn primary search-go', testid: 'search-go' }, t('search.go')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) { input.focus(); return; }
    if (onSearch) onSearch(q);
    else ctx.navigate(`/search?q=${enc(q)}`);
  });
  if (autofocus) setTimeout(() => input.focus({ preventScroll: true }), 0);
  return { form, input };
}

export function searchView(ctx) {
  setTitle(t('search.title'));
  let q = (ctx.query.get('q') || '').trim();
  let type = TYPES.includes(ctx.query.get('type')) ? ctx.query.get('type') : 'clips';
  let timer = null;
  let inflight = null;
  const results = h('div', { class: 'search-results', testid: 'search-results', 'aria-live': 'polite', 'aria-busy': 'false' });
  const { form, input } = searchBox(ctx, { value: q, autofocus: !q, onSearch: (text) => { q = text; run(); } });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { q = input.value.trim(); if (q) run(); }, 300);
  });
  ctx.signal.addEventListener('abort', () => { clearTimeout(timer); if (inflight) inflight.abort(); });

  const tabs = h('div', { class: 'search-types', role: 'group', 'aria-label': t('search.typeLabel') });
  const paintTabs = () => {
    tabs.replaceChildren(...TYPES.map((name) => h('button', {
      type: 'button', class: `chip${name === type ? ' on' : ''}`, 'aria-pressed': String(name === type), testid: `search-type-${name}`,
      onclick: () => { type = name; paintTabs(); if (q) run(); },
    }, t(`search.type.${name}`))));
  };
  paintTabs();
  arrowKeys(results, input);

  const run = async (cursor = null) => {
    if (!cursor) history.replaceState({}, '', `/search?q=${enc(q)}&type=${type}`);
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const signal = inflight.signal;
    if (!cursor) results.replaceChildren(spinner(t('search.searching')));
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await get(`/api/search?q=${enc(q)}&type=${type}&limit=24${cursor ? `&cursor=${enc(cursor)}` : ''}`, { signal });
      render(data, Boolean(cursor));
    } catch (err) {
      if (isAbort(err)) return;
      const text = err instanceof ApiError && err.status === 422 ? t('search.badQuery') : err.message;
      results.replaceChildren(errorState({ error: { message: text }, onRetry: () => run() }));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };

  const render = (data, appending) => {
    const items = type === 'clips' ? data.clips.map((v) => clipTile(v))
      : type === 'users' ? data.users.map((p) => personRow(p, { reason: p.match === 'similar' ? t('search.similar') : '' }))
        : data.tags.map((tag) => tagRow(tag));
    if (!appending) {
      results.replaceChildren();
      if (!items.length) {
        results.appendChild(emptyState({ iconName: 'search', title: t('search.noneTitle'), text: t('search.noneText', { q: data.q }), testid: 'search-empty' }));
        return;
      }
      results.appendChild(h('p', { class: 'visually-hidden', testid: 'search-count' }, t('search.count', { count: items.length })));
      results.appendChild(h('div', { class: type === 'clips' ? 'clip-grid result-grid' : 'result-list', testid: `search-${type}` }));
    }
    const list = results.querySelector('.clip-grid, .result-list');
    list.append(...items);
    const old = results.querySelector('.search-more');
    if (old) old.remove();
    if (data.next_cursor) {
      results.appendChild(h('button', { type: 'button', class: 'btn ghost search-more', testid: 'search-more', onclick: () => run(data.next_cursor) }, t('search.more')));
    }
  };

  const top = h('header', { class: 'top-bar' }, h('span'), h('h1', { class: 'top-title' }, t('search.title')), h('span'));
  const page = h('section', { class: 'page search-view', testid: 'search-page' }, top,
    h('div', { class: 'page-body' }, form, tabs, results));
  if (q) run();
  else results.replaceChildren(h('p', { class: 'muted search-hint' }, t('search.hint')));
  return page;
}
