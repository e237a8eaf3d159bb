// Small DOM helpers shared by every view: element builder, inline SVG icons, toasts,
// bottom sheets and the confirm dialog. User text always goes in as text nodes.

import { t, lang, setLang, LANGS } from './i18n.js';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value') el.value = value;
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// Icons: 24x24 line icons drawn for Figment (no icon font, no network).
const PATHS = {
  home: '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z"/>',
  homeFill: '<path fill="currentColor" stroke="none" d="M11.4 2.5a1 1 0 0 1 1.2 0l8.9 7.4c.3.2.5.6.5 1V20a1.5 1.5 0 0 1-1.5 1.5H15V15H9v6.5H3.5A1.5 1.5 0 0 1 2 20v-9.1c0-.4.2-.8.5-1z"/>',
  plus: '<path d="M12 5v14M5 12h14"/>',
  drafts: '<rect x="4" y="3" width="13" height="16" rx="2"/><path d="M8 21h10a2 2 0 0 0 2-2V7"/><path d="m9 8 4 3-4 3z" fill="currentColor"/>',
  bell: '<path d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0"/>',
  user: '<circle cx="12" cy="8" r="4"/><path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6"/>',
  login: '<path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4"/><path d="M10 17l5-5-5-5M15 12H3"/>',
  heart: '<path d="M12 20.5s-7.5-4.6-9.3-9.4C1.4 7.6 3.7 4 7.2 4c2 0 3.5 1.1 4.8 2.8C13.3 5.1 14.8 4 16.8 4c3.5 0 5.8 3.6 4.5 7.1-1.8 4.8-9.3 9.4-9.3 9.4z"/>',
  heartFill: '<path fill="currentColor" d="M12 20.5s-7.5-4.6-9.3-9.4C1.4 7.6 3.7 4 7.2 4c2 0 3.5 1.1 4.8 2.8C13.3 5.1 14.8 4 16.8 4c3.5 0 5.8 3.6 4.5 7.1-1.8 4.8-9.3 9.4-9.3 9.4z"/>',
  comment: '<path d="M12 3.5c5 0 9 3.4 9 7.7s-4 7.7-9 7.7c-1 0-2-.1-2.9-.4L4.5 20.5l1.1-3.9C4 15.2 3 13.3 3 11.2 3 6.9 7 3.5 12 3.5z"/>',
  remix: '<path d="M16 3h5v5"/><path d="M4 20 21 3"/><path d="M21 16v5h-5"/><path d="m15 15 6 6"/><path d="M4 4l5 5"/>',
  share: '<path d="M13 4.5 21 12l-8 7.5V15c-5 0-8 1.5-10 5 .5-5.5 3.5-10 10-10.5z"/>',
  more: '<circle cx="5" cy="12" r="1.6" fill="currentColor"/><circle cx="12" cy="12" r="1.6" fill="currentColor"/><circle cx="19" cy="12" r="1.6" fill="currentColor"/>',
  soundOn: '<path d="M4 9.5h3.5L12 5v14l-4.5-4.5H4z"/><path d="M15.5 8.5a5 5 0 0 1 0 7M18 6a8.5 8.5 0 0 1 0 12"/>',
  soundOff: '<path d="M4 9.5h3.5L12 5v14l-4.5-4.5H4z"/><path d="m16 9.5 5 5M21 9.5l-5 5"/>',
  play: '<path fill="currentColor" d="M8 5.5v13a1 1 0 0 0 1.5.9l10.2-6.5a1 1 0 0 0 0-1.7L9.5 4.6A1 1 0 0 0 8 5.5z"/>',
  close: '<path d="M6 6l12 12M18 6 6 18"/>',
  send: '<path d="M4 12 20 4l-6 16-2.5-6.5z"/><path d="M11.5 13.5 20 4"/>',
  check: '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
  alert: '<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5.5M12 16.5v.01"/>',
  back: '<path d="M15 5l-7 7 7 7"/>',
  link: '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
  eyeOff: '<path d="M3 3l18 18"/><path d="M10.6 6.1A9.8 9.8 0 0 1 12 6c5 0 8.5 4 9.5 6-.5 1-1.5 2.4-2.9 3.7M6.6 7.6C4.5 9 3.1 10.8 2.5 12c1 2 4.5 6 9.5 6 1.6 0 3-.4 4.3-1"/><path d="M9.9 10a3 3 0 0 0 4.1 4.1"/>',
  flag: '<path d="M5 21V4"/><path d="M5 4h11l-2 4 2 4H5"/>',
  trash: '<path d="M4 7h16M9 7V4.5h6V7M6 7l1 13h10l1-13"/>',
  sparkle: '<path fill="currentColor" stroke="none" d="M12 2.5c.5 4.8 2.7 7 7.5 7.5-4.8.5-7 2.7-7.5 7.5-.5-4.8-2.7-7-7.5-7.5 4.8-.5 7-2.7 7.5-7.5z"/><path fill="currentColor" stroke="none" d="M19 15c.2 2 1 2.8 3 3-2 .2-2.8 1-3 3-.2-2-1-2.8-3-3 2-.2 2.8-1 3-3z"/>',
  globe: '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z"/>',
  userPlus: '<circle cx="10" cy="8" r="4"/><path d="M2.5 21c1.4-4 4.2-6 7.5-6 1.6 0 3 .4 4.3 1.3M19 14v6M16 17h6"/>',
  face: '<circle cx="12" cy="12" r="9"/><path d="M9 10v.01M15 10v.01M8.5 15c1 1 2.2 1.5 3.5 1.5s2.5-.5 3.5-1.5"/>',
  refresh: '<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/>',
  logout: '<path d="M10 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h4"/><path d="M15 17l5-5-5-5M20 12H9"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  download: '<path d="M12 4v11"/><path d="m7 10 5 5 5-5"/><path d="M5 20h14"/>',
  pin: '<path d="M9 3.5h6l-1 6 3.5 3.5v2h-11v-2L10 9.5z"/><path d="M12 15v6"/>',
  search: '<circle cx="10.5" cy="10.5" r="6.5"/><path d="m15.5 15.5 5 5"/>',
  sliders: '<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1"/><circle cx="15" cy="6" r="2"/><circle cx="9" cy="12" r="2"/><circle cx="17" cy="18" r="2"/>',
  menu: '<path d="M4 7h16M4 12h16M4 17h16"/>',
  film: '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4"/>',
};

export function icon(name, cls = '') {
  const span = document.createElement('span');
  span.className = `icon ${cls}`.trim();
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">${PATHS[name] || ''}</svg>`;
  return span;
}

// A coloured disc with the handle's first letter; the hue is stable per handle.
export function avatar(handle, size = 40) {
  const name = String(handle || '?');
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  return h('span', {
    class: 'avatar',
    'aria-hidden': 'true',
    style: {
      width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.45)}px`,
      background: `linear-gradient(135deg, hsl(${hue} 80% 58%), hsl(${(hue + 50) % 360} 75% 45%))`,
    },
  }, name.replace(/^@/, '').slice(0, 1).toUpperCase());
}

// A person's generated avatar when they have one (profiles.avatars), else the lettered disc.
export function userAvatar(user, size = 40, alt = '') {
  if (!user || !user.avatar_url) return avatar(user && user.handle, size);
  return h('img', { class: 'avatar avatar-img', src: user.avatar_url, alt, width: size, height: size, style: { width: `${size}px`, height: `${size}px` } });
}

export function formatCount(n) {
  const value = Number(n) || 0;
  // Exact below 10k (1234 reads fine); compact above (12.5K, 3.1M).
  if (value < 10000) return String(value);
  return new Intl.NumberFormat(lang(), { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function timeAgo(iso) {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang(), { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 45) return t('time.now');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 7) return rtf.format(Math.round(seconds / 86400), 'day');
  return new Intl.DateTimeFormat(lang(), { day: 'numeric', month: 'short', year: abs > 86400 * 300 ? 'numeric' : undefined }).format(new Date(then));
}

export function reducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

// Toasts: one at a time so tests and screen readers see a single, current message.
let toastTimer = 0;
export function toast(message, { kind = 'info', action = null, duration = 2800 } = {}) {
  const region = document.getElementById('toasts');
  if (!region) return;
  clearTimeout(toastTimer);
  region.replaceChildren();
  const el = h('div', { class: `toast toast-${kind}`, testid: 'toast', role: kind === 'error' ? 'alert' : 'status' },
    kind === 'error' ? icon('alert') : kind === 'success' ? icon('check') : null,
    h('span', { class: 'toast-text' }, message),
    action ? h('a', { class: 'toast-action', href: action.href, onclick: () => dismiss() }, action.label) : null,
  );
  region.appendChild(el);
  requestAnimationFrame(() => el.classList.add('show'));
  const dismiss = () => {
    el.classList.remove('show');
    setTimeout(() => el.remove(), reducedMotion() ? 0 : 250);
  };
  toastTimer = setTimeout(dismiss, action ? duration + 2000 : duration);
}

// Bottom sheet on a native <dialog>: focus trap, Escape and top layer come for free.
export function openSheet({ title, body, footer = null, className = '', onClose = null, labelId = null }) {
  const titleId = labelId || `sheet-title-${Math.random().toString(36).slice(2, 8)}`;
  const closeBtn = h('button', { type: 'button', class: 'icon-button sheet-close', 'aria-label': t('common.close') }, icon('close'));
  const heading = h('h2', { id: titleId, class: 'sheet-title' }, title);
  const dialog = h('dialog', { class: `sheet ${className}`.trim(), 'aria-labelledby': titleId },
    h('div', { class: 'sheet-grip', 'aria-hidden': 'true' }),
    h('header', { class: 'sheet-header' }, heading, closeBtn),
    h('div', { class: 'sheet-body' }, body),
    footer ? h('div', { class: 'sheet-footer' }, footer) : null,
  );
  const close = () => {
    if (!dialog.open) return;
    dialog.classList.add('closing');
    setTimeout(() => { dialog.close(); }, reducedMotion() ? 0 : 180);
  };
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) close(); // click on the backdrop area
  });
  dialog.addEventListener('cancel', (event) => { event.preventDefault(); close(); });
  dialog.addEventListener('close', () => { dialog.remove(); if (onClose) onClose(); });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, close, heading };
}

export function confirmDialog({ title, message, confirmLabel, danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const ok = h('button', { type: 'button', class: `btn ${danger ? 'danger' : 'primary'}`, testid: 'confirm-ok' }, confirmLabel || t('common.ok'));
    const cancel = h('button', { type: 'button', class: 'btn ghost', testid: 'confirm-cancel' }, t('common.cancel'));
    const titleId = `confirm-${Math.random().toString(36).slice(2, 8)}`;
    const dialog = h('dialog', { class: 'confirm', testid: 'confirm-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      message ? h('p', {}, message) : null,
      h('div', { class: 'confirm-actions' }, cancel, ok),
    );
    ok.addEventListener('click', () => { answer = true; dialog.close(); });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

export function spinner(label) {
  return h('div', { class: 'spinner-wrap', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden' }, label || t('common.loading')));
}

export function emptyState({ iconName = 'sparkle', title, text = '', actions = [], testid = 'empty-state' }) {
  return h('div', { class: 'state', testid },
    h('div', { class: 'state-icon' }, icon(iconName)),
    h('h2', { class: 'state-title' }, title),
    text ? h('p', { class: 'state-text' }, text) : null,
    actions.length ? h('div', { class: 'state-actions' }, actions) : null,
  );
}

export function errorState({ error, onRetry, title }) {
  return emptyState({
    iconName: 'alert',
    title: title || t('error.title'),
    text: (error && error.message) || t('error.generic'),
    testid: 'error-state',
    actions: onRetry ? [h('button', { type: 'button', class: 'btn primary', testid: 'retry-button', onclick: onRetry }, icon('refresh'), t('common.retry'))] : [],
  });
}

// Copy a link; without clipboard access (insecure origin, denied permission) show it instead.
export async function shareLink(url) {
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    await navigator.clipboard.writeText(url);
    toast(t('share.copied'), { kind: 'success' });
  } catch {
    const input = h('input', { class: 'input', readonly: true, value: url, 'aria-label': t('share.link'), testid: 'share-link' });
    const copy = h('button', { type: 'button', class: 'btn primary' }, t('share.copy'));
    const sheet = openSheet({ title: t('share.title'), body: h('div', { class: 'share-box' }, input, copy) });
    copy.addEventListener('click', () => {
      input.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch { ok = false; }
      if (ok) { toast(t('share.copied'), { kind: 'success' }); sheet.close(); }
      else toast(t('share.manual'));
    });
    setTimeout(() => input.select(), 50);
  }
}

export function setTitle(part) {
  document.title = part ? `${part} · Figment` : 'Figment';
}

// EN | IT switch; the choice is remembered and the current page redraws in place.
export function langSwitch() {
  const wrap = h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label'), testid: 'lang-switch' });
  for (const code of LANGS) {
    wrap.appendChild(h('button', {
      type: 'button', class: code === lang() ? 'on' : '', lang: code, 'aria-pressed': String(code === lang()),
      'aria-label': `${code.toUpperCase()}, ${t(`lang.${code}`)}`, testid: `lang-${code}`, onclick: () => setLang(code),
    }, code.toUpperCase()));
  }
  return wrap;
}
