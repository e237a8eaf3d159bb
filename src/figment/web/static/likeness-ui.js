// The likeness page's shared parts: permission levels, its cards and the error box each card shows.

import { h, icon } from './ui.js';
import { t } from './i18n.js';

export const PERMISSIONS = ['only_me', 'approved', 'mutuals', 'everyone'];

export function errorBox(testid = 'likeness-error') {
  return h('div', { class: 'form-error', role: 'alert', hidden: true, testid });
}

export function showError(box, err) {
  box.replaceChildren(icon('alert'), h('div', {}, h('p', { class: 'form-error-title' }, err && err.message ? err.message : t('error.generic'))));
  box.hidden = false;
}

export function hideError(box) {
  box.hidden = true;
  box.replaceChildren();
}

export function section(title, iconName, testid, ...children) {
  return h('section', { class: 'lk-card', testid },
    h('h2', { class: 'lk-title' }, icon(iconName), title), ...children);
}
