// The video model picker on the create page: the server's enabled models (GET /api/backends), each with
// its limits (longest clip, size, whether @people can be in it) and, for hosted ones, that the prompt is
// sent to another company. Shown only when the server enables more than one model.

import { h, icon } from './ui.js';
import { t } from './i18n.js';
import { get, isAbort } from './api.js';

const nameOf = (name) => {
  const key = `backend.name.${name}`;
  return t(key) !== key ? t(key) : name;
};

// `onChange(choice)` runs with the chosen model ({name, max_duration_s, ...}) once they are loaded and
// whenever the author picks another. `value()` is the name to send, or null for the server's default.
export function backendPicker({ signal, onChange }) {
  const select = h('select', { id: 'backend', name: 'backend', class: 'select', testid: 'backend-select' });
  const limits = h('p', { class: 'field-hint backend-limits', id: 'backend-limits', testid: 'backend-limits', 'aria-live': 'polite' });
  const error = h('p', { class: 'field-error', testid: 'backend-error' });
  const field = h('div', { class: 'field backend-field', hidden: true, testid: 'backend-field' },
    h('div', { class: 'field inline' },
      h('label', { for: 'backend', class: 'label' }, icon('sparkle'), t('backend.label')),
      h('div', { class: 'select-wrap' }, select)),
    limits,
    error);
  select.setAttribute('aria-describedby', 'backend-limits');
  let choices = [];
  let defaultName = null;

  const current = () => choices.find((c) => c.name === select.value) || null;

  const paint = () => {
    const choice = current();
    error.textContent = '';
    if (!choice) return;
    const parts = [
      t('backend.upTo', { n: choice.max_duration_s }),
      choice.sizes.join(', '),
      choice.supports_likeness ? t('backend.likenessYes') : t('backend.likenessNo'),
    ];
    limits.replaceChildren(h('span', {}, parts.join(' · ')),
      choice.hosted ? h('span', { class: 'backend-hosted', testid: 'backend-hosted' }, ` ${t('backend.hostedNote')}`) : null);
    onChange(choice);
  };
  select.addEventListener('change', paint);

  get('/api/backends', { signal }).then((body) => {
    choices = (body && body.items) || [];
    const first = choices.find((c) => c.default) || choices[0];
    defaultName = first ? first.name : null;
    select.replaceChildren(...choices.map((c) => h('option', { value: c.name, disabled: !c.available },
      c.available ? nameOf(c.name) : t('backend.unavailable', { name: nameOf(c.name) }))));
    if (first) select.value = first.name;
    // One model: nothing to choose, but its limits still shape the length picker.
    field.hidden = choices.length < 2;
    paint();
  }).catch((err) => {
    // Without the list the form still works: the server's default model and its own limits apply.
    if (!isAbort(err)) field.hidden = true;
  });

  return {
    element: field,
    value: () => (select.value && select.value !== defaultName ? select.value : null),
    showError: (message) => { error.textContent = message; },
  };
}
