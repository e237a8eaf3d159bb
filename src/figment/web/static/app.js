// Figment web client entry: routes, bottom navigation, session and live notifications.

import { route, setGuard, setNotFound, onNavigate, start, refresh } from './router.js';
import { h, icon, userAvatar, emptyState, setTitle } from './ui.js';
import { t, onLangChange } from './i18n.js';
import { currentUser, loadUser, onUserChange, loginUrl, safeNext } from './session.js';
import { feedView, clearFeedCache } from './feed.js';
import { clipView } from './clip.js';
import { createView } from './create.js';
import { draftsView } from './drafts.js';
import { profileView } from './profile.js';
import { notificationsView, startNotifications, stopNotifications, onUnread, unreadCount } from './notifications.js';
import { loginView, signupView } from './auth.js';
import { rightsView } from './rights.js';
import { likenessView } from './likeness.js';
import { adminView } from './admin.js';
import { provenanceView } from './provenance.js';
import { moderationView } from './moderation.js';
import { searchView } from './search.js';
import { discoverView } from './discover.js';
import { tagView } from './tag.js';
import { appMenuButton, sideLinks } from './links.js';

const needsLogin = (view) => Object.assign(view, { requiresAuth: true });
const guestOnly = (view) => Object.assign(view, { guestOnly: true });

route(/^\/$/, (ctx) => feedView(ctx, 'for_you'));
route(/^\/following$/, (ctx) => feedView(ctx, 'following'));
route(/^\/create$/, needsLogin(createView));
route(/^\/drafts$/, needsLogin(draftsView));
route(/^\/notifications$/, needsLogin(notificationsView));
route(/^\/rights$/, needsLogin(rightsView));
route(/^\/likeness$/, needsLogin(likenessView));
route(/^\/admin$/, needsLogin(adminView));
route(/^\/login$/, guestOnly(loginView));
route(/^\/signup$/, guestOnly(signupView));
route(/^\/@([^/]+)$/, profileView);
route(/^\/v\/([^/]+)$/, clipView);
route(/^\/provenance$/, provenanceView);
route(/^\/admin\/moderation$/, needsLogin(moderationView));
route(/^\/search$/, searchView);
route(/^\/discover$/, discoverView);
route(/^\/tag\/([^/]+)$/, tagView);
setNotFound(() => {
  setTitle(t('notFound.title'));
  return h('section', { class: 'page' }, emptyState({
    iconName: 'alert', title: t('notFound.title'), text: t('notFound.text'), testid: 'not-found',
    actions: [h('a', { class: 'btn primary', href: '/' }, t('clip.more'))],
  }));
});

setGuard((ctx, view) => {
  if (view.requiresAuth && !currentUser()) return loginUrl(`${ctx.path}${location.search}`);
  if (view.guestOnly && currentUser()) return safeNext(ctx.query.get('next'));
  return null;
});

// ---- Bottom navigation ----

const nav = document.getElementById('nav');

function navLink({ href, label, iconName, testid, extra = null, className = '' }) {
  // Named by the visible label (plus what `extra` adds for screen readers), so what is read out
  // matches what is seen.
  return h('a', { href, class: `nav-item ${className}`.trim(), testid },
    h('span', { class: 'nav-icon' }, icon(iconName), extra),
    h('span', { class: 'nav-label' }, label));
}

function buildNav() {
  const me = currentUser();
  const badge = h('span', { class: 'badge', testid: 'notif-badge', hidden: true, 'aria-hidden': 'true' });
  const unread = h('span', { class: 'visually-hidden', testid: 'notif-unread' });
  const notifLink = navLink({ href: '/notifications', label: t('nav.notifications'), iconName: 'bell', testid: 'nav-notifications', extra: badge });
  notifLink.appendChild(unread);
  const paintBadge = (n) => {
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.dataset.count = String(n);
    badge.hidden = n === 0;
    unread.textContent = n ? `, ${t('nav.unreadCount', { count: n })}` : '';
  };
  paintBadge(unreadCount());
  if (nav.offUnread) nav.offUnread();
  nav.offUnread = onUnread(paintBadge);

  const profile = me
    ? h('a', { href: `/@${encodeURIComponent(me.handle)}`, class: 'nav-item', testid: 'nav-profile' },
      h('span', { class: 'nav-icon' }, userAvatar(me, 26)), h('span', { class: 'nav-label' }, t('nav.profile')))
    : navLink({ href: '/login', label: t('nav.login'), iconName: 'user', testid: 'nav-login' });

  nav.setAttribute('aria-label', t('nav.label'));
  nav.replaceChildren(
    navLink({ href: '/', label: t('nav.home'), iconName: 'home', testid: 'nav-home' }),
    navLink({ href: '/discover', label: t('nav.discover'), iconName: 'search', testid: 'nav-discover' }),
    navLink({ href: '/drafts', label: t('nav.drafts'), iconName: 'drafts', testid: 'nav-drafts' }),
    h('a', { href: '/create', class: 'nav-item nav-create', testid: 'nav-create', 'aria-label': t('nav.create') },
      h('span', { class: 'create-pill' }, icon('plus'))),
    notifLink,
    profile);
  paintActive(location.pathname);
}

function paintActive(path) {
  const me = currentUser();
  for (const link of nav.querySelectorAll('a')) {
    const href = link.getAttribute('href');
    let on = href === path;
    if (href === '/' && path === '/following') on = true;
    if (href === '/discover' && (path === '/search' || path.startsWith('/tag/'))) on = true;
    if (link.dataset.testid === 'nav-login' && (path === '/signup' || path === '/login')) on = true;
    if (me && link.dataset.testid === 'nav-profile') on = path.toLowerCase() === `/@${me.handle}`.toLowerCase();
    if (on) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // The feed runs edge to edge under a translucent bar; other pages get a solid one.
  document.body.classList.toggle('on-feed', path === '/' || path === '/following' || path.startsWith('/v/'));
}

onNavigate((ctx) => {
  paintActive(ctx.path);
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  // The link that was clicked may be gone with the old page: give focus to the new one.
  const active = document.activeElement;
  if (!active || active === document.body || !active.isConnected) document.getElementById('view').focus({ preventScroll: true });
});

// Wide screens get a short introduction and the keyboard shortcuts beside the column.
function buildSide() {
  const side = document.getElementById('side');
  if (!side) return;
  const key = (k, text) => h('li', {}, h('kbd', {}, k), h('span', {}, text));
  side.replaceChildren(
    h('div', { class: 'side-brand' }, h('span', { class: 'side-logo' }, icon('sparkle')), 'Figment'),
    h('p', { class: 'side-tagline' }, t('app.tagline')),
    h('ul', { class: 'side-keys', 'aria-label': t('keys.title') },
      key('↑ ↓', t('keys.scroll')), key('M', t('keys.mute')), key('L', t('keys.like')), key('␣', t('keys.pause'))),
    sideLinks());
}

// The menu button (Rights, provenance, language...) in the column's top corner on every page.
function buildMenuButton() {
  const old = document.getElementById('app-menu-button');
  const button = appMenuButton({ corner: true });
  if (old) old.replaceWith(button);
  else document.getElementById('app').appendChild(button);
}

// ---- Boot ----

async function boot() {
  const root = document.getElementById('view');
  buildSide();
  await loadUser();
  buildNav();
  buildMenuButton();
  startNotifications();
  let lastHandle = currentUser() ? currentUser().handle : null;
  onUserChange((me) => {
    const handle = me ? me.handle : null;
    if (handle === lastHandle) return;
    lastHandle = handle;
    clearFeedCache();
    buildNav();
    buildSide();
    if (me) startNotifications();
    else stopNotifications();
  });
  onLangChange(() => {
    buildSide();
    buildNav();
    buildMenuButton();
    refresh();
  });
  document.body.classList.remove('booting');
  start(root);
}

// The service worker keeps the app shell for an offline start (never API answers or media: web/sw.js).
function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
}

window.addEventListener('load', registerServiceWorker);

boot();
