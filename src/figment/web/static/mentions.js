// @handle autocomplete for the prompt: typing @ and a few letters lists the people and characters whose
// handle starts so (GET /api/cameo/usable), the ones this person may use first and selectable, the
// others greyed with the owner's reason. Up/Down move, Enter or a click inserts "@handle ", Escape closes.

import { h, icon } from './ui.js';
import { t } from './i18n.js';
import { get, enc, isAbort } from './api.js';
import { ruleText } from './errors.js';

// The "@partial" right before the caret; '@' must start a word, as the server's MENTION does.
const TOKEN = /(?:^|[^\w@])@(\w{1,30})$/u;
const DEBOUNCE_MS = 120;

export function attachMentions(textarea, { signal }) {
  const listId = `mentions-${Math.random().toString(36).slice(2, 8)}`;
  const list = h('ul', { class: 'mentions', id: listId, role: 'listbox', 'aria-label': t('mention.label'), testid: 'mentions', hidden: true });
  textarea.setAttribute('role', 'combobox');
  textarea.setAttribute('aria-autocomplete', 'list');
  textarea.setAttribute('aria-controls', listId);
  textarea.setAttribute('aria-expanded', 'false');

  let items = [];
  let active = -1;
  let token = null; // { start, end, query }
  let timer = 0;
  let inflight = null;
  const cache = new Map();

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    textarea.setAttribute('aria-expanded', 'false');
    textarea.removeAttribute('aria-activedescendant');
  };

  const currentToken = () => {
    if (textarea.selectionStart !== textarea.selectionEnd) return null;
    const end = textarea.selectionStart;
    const match = textarea.value.slice(0, end).match(TOKEN);
    if (!match) return null;
    return { start: end - match[1].length - 1, end, query: match[1].toLowerCase() };
  };

  const choose = (item) => {
    if (!item || !item.allowed || !token) return;
    const before = textarea.value.slice(0, token.start);
    let after = textarea.value.slice(token.end);
    // Typing on in the middle of a word ("@ol|ga") replaces the rest of it too.
    after = after.replace(/^\w+/u, '');
    const inserted = `@${item.handle} `;
    textarea.value = `${before}${inserted}${after.replace(/^ /, '')}`;
    const caret = before.length + inserted.length;
    textarea.setSelectionRange(caret, caret);
    close();
    token = null;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.focus();
  };

  const setActive = (index) => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((el, i) => {
      el.setAttribute('aria-selected', String(i === index));
      el.classList.toggle('active', i === index);
      if (i === index) el.scrollIntoView({ block: 'nearest' });
    });
    if (index >= 0) textarea.setAttribute('aria-activedescendant', `${listId}-${index}`);
    else textarea.removeAttribute('aria-activedescendant');
  };

  const move = (step) => {
    const allowed = items.map((item, i) => (item.allowed ? i : -1)).filter((i) => i >= 0);
    if (!allowed.length) return;
    const at = allowed.indexOf(active);
    const next = at < 0 ? (step > 0 ? 0 : allowed.length - 1) : (at + step + allowed.length) % allowed.length;
    setActive(allowed[next]);
  };

  const paint = (found) => {
    items = found;
    if (!items.length) { close(); return; }
    list.replaceChildren(...items.map((item, i) => {
      const option = h('li', {
        id: `${listId}-${i}`, role: 'option', class: `mention ${item.allowed ? '' : 'disabled'}`.trim(),
        'aria-selected': 'false', 'aria-disabled': String(!item.allowed), testid: 'mention-option',
        dataset: { handle: item.handle, allowed: String(item.allowed), kind: item.kind },
      },
      h('span', { class: 'mention-icon' }, icon(item.kind === 'character' ? 'sparkle' : 'face')),
      h('span', { class: 'mention-main' },
        h('span', { class: 'mention-head' },
          h('strong', {}, `@${item.handle}`),
          h('span', { class: 'mention-kind' }, t(item.kind === 'character' ? 'mention.character' : 'mention.person'))),
        item.allowed
          ? h('span', { class: 'mention-note ok' }, icon('check'), item.kind === 'character' && item.description ? item.description : t('mention.allowed'))
          : h('span', { class: 'mention-note', testid: 'mention-message' }, ruleText(item.rule, { handle: item.handle }) || t('error.code.cameo_permission_denied'))));
      // mousedown, not click: the textarea keeps focus (and its caret) while the choice is made.
      option.addEventListener('mousedown', (event) => { event.preventDefault(); choose(item); });
      return option;
    }));
    list.hidden = false;
    textarea.setAttribute('aria-expanded', 'true');
    const first = items.findIndex((item) => item.allowed);
    setActive(first);
  };

  const lookup = () => {
    clearTimeout(timer);
    token = currentToken();
    if (!token) { close(); return; }
    const query = token.query;
    if (cache.has(query)) { paint(cache.get(query)); return; }
    timer = setTimeout(async () => {
      if (inflight) inflight.abort();
      inflight = new AbortController();
      signal.addEventListener('abort', () => inflight && inflight.abort(), { once: true });
      try {
        const data = await get(`/api/cameo/usable?q=${enc(query)}`, { signal: inflight.signal });
        const found = (data && data.items) || [];
        cache.set(query, found);
        if (token && token.query === query) paint(found);
      } catch (err) {
        if (!isAbort(err)) close(); // suggestions are a help; the submit still checks everything
      }
    }, DEBOUNCE_MS);
  };

  textarea.addEventListener('input', lookup);
  textarea.addEventListener('click', lookup);
  textarea.addEventListener('keyup', (event) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') lookup();
  });
  // Leaving the prompt closes the list, unless focus came straight back (a timer from an old blur must
  // not close the list the person is using now).
  textarea.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== textarea) close(); }, 120));
  textarea.addEventListener('keydown', (event) => {
    if (list.hidden || event.isComposing) return;
    if (event.key === 'ArrowDown') { event.preventDefault(); move(1); } else if (event.key === 'ArrowUp') { event.preventDefault(); move(-1); } else if (event.key === 'Enter' && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
      if (active < 0) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      choose(items[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  signal.addEventListener('abort', () => { clearTimeout(timer); if (inflight) inflight.abort(); }, { once: true });
  return list;
}
