// Length counters for the text fields the API bounds. The limits are the API's own (its OpenAPI
// document's maxLength; tests/web/test_length_limits.py keeps them equal). Fields carry no maxlength
// attribute: a browser would silently cut a long paste, so instead the counter says how many
// characters are left, then how many are too many, and the form refuses to send until they are gone.

import { h } from './ui.js';
import { t } from './i18n.js';

export const LIMITS = {
  prompt: 1000,
  comment: 500,
  steer: 500,
};

// The API trims before counting, so the counter does too.
export function lengthOf(field) {
  return field.value.trim().length;
}

export function isTooLong(field, max) {
  return lengthOf(field) > max;
}

// A live counter under `field`; `id` lets the field name it in aria-describedby.
export function lengthCounter(field, max, { id, testid = 'length-counter' } = {}) {
  const el = h('span', { class: 'counter', id, testid, 'aria-live': 'polite' });
  const paint = () => {
    const n = lengthOf(field);
    const left = max - n;
    el.textContent = left >= 0 ? t('counter.left', { count: left }) : t('counter.over', { count: -left });
    el.dataset.count = String(n);
    el.dataset.max = String(max);
    el.classList.toggle('warn', left >= 0 && n > max * 0.9);
    el.classList.toggle('over', left < 0);
    if (left < 0) field.setAttribute('aria-invalid', 'true');
    else if (field.getAttribute('aria-invalid') === 'true' && el.classList.contains('was-over')) field.removeAttribute('aria-invalid');
    el.classList.toggle('was-over', left < 0);
  };
  field.addEventListener('input', paint);
  paint();
  el.paint = paint;
  return el;
}
