// "Steer my feed" from the feed itself: a sheet with the words (PUT /api/me/feed-preferences). The
// server matches them by meaning (multilingual sentence embeddings: "more snow" also finds "snowy
// peaks", "più gatti" finds "a kitten"); the feed then drops the cards it had fetched ahead and asks
// for the next page, so the change shows on the very next swipe, each steered card saying
// "Because you asked for more …".

import { h, icon, toast, openSheet } from './ui.js';
import { t } from './i18n.js';
import { get, put } from './api.js';
import { errorText } from './errors.js';
import { LIMITS, lengthCounter, isTooLong } from './counter.js';

export function steerButton({ onSaved }) {
  const button = h('button', {
    type: 'button', class: 'steer-open glass', testid: 'steer-open', 'aria-haspopup': 'dialog',
    'aria-label': t('steer.openLabel'), title: t('steer.title'),
  }, icon('sliders'), h('span', { class: 'steer-open-label' }, t('feed.steer')));
  button.addEventListener('click', () => openSteer({ onSaved }));
  return button;
}

export function openSteer({ onSaved }) {
  const input = h('textarea', {
    id: 'steer-text', class: 'input steer-input', rows: 3, testid: 'steer-input',
    placeholder: t('steer.placeholder'), 'aria-describedby': 'steer-hint steer-count steer-note',
  });
  const counter = lengthCounter(input, LIMITS.steer, { id: 'steer-count', testid: 'steer-counter' });
  const note = h('p', { class: 'field-error', id: 'steer-note', role: 'alert', testid: 'steer-error' });
  const save = h('button', { type: 'submit', class: 'btn primary', testid: 'steer-save' }, t('steer.save'));
  const clear = h('button', { type: 'button', class: 'btn ghost', testid: 'steer-clear' }, t('steer.clear'));
  const form = h('form', { class: 'steer-form', testid: 'steer-form', novalidate: true },
    h('label', { class: 'visually-hidden', for: 'steer-text' }, t('steer.title')),
    h('p', { class: 'muted', id: 'steer-hint' }, t('steer.hint')),
    input,
    h('div', { class: 'field-foot' }, note, counter),
    h('div', { class: 'steer-actions' }, clear, save));
  const sheet = openSheet({ title: t('steer.title'), body: form, className: 'steer-sheet' });
  get('/api/me/feed-preferences').then((prefs) => {
    if (!input.value && prefs && prefs.text) { input.value = prefs.text; counter.paint(); }
  }).catch(() => {});
  setTimeout(() => input.focus(), 60);

  const send = async (text, message) => {
    if (isTooLong(input, LIMITS.steer)) {
      note.textContent = t('counter.over', { count: input.value.trim().length - LIMITS.steer });
      input.focus();
      return;
    }
    save.disabled = true;
    clear.disabled = true;
    try {
      await put('/api/me/feed-preferences', { text });
      sheet.close();
      toast(message, { kind: 'success' });
      if (onSaved) onSaved(text);
    } catch (err) {
      note.textContent = errorText(err);
    } finally {
      save.disabled = false;
      clear.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); send(input.value.trim(), t('steer.saved')); });
  clear.addEventListener('click', () => { input.value = ''; counter.paint(); send('', t('steer.cleared')); });
  return sheet;
}
