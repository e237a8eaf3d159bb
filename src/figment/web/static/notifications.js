// Notifications: the live unread count (Server-Sent Events) and the inbox page.

import { h, icon, avatar, toast, emptyState, errorState, spinner, setTitle, timeAgo } from './ui.js';
import { t } from './i18n.js';
import { get, post, enc, isAbort } from './api.js';
import { currentUser } from './session.js';

let unread = 0;
const unreadListeners = new Set();
const liveListeners = new Set();
const seen = new Set();
let source = null;
let retryTimer = 0;
let retryDelay = 2000;

export function unreadCount() {
  return unread;
}

// Every notification as it arrives on the live stream; `fn` returns true when it showed it itself
// (then the unread badge is not raised). Returns the function that stops listening.
export function onNotification(fn) {
  liveListeners.add(fn);
  return () => liveListeners.delete(fn);
}

export function onUnread(fn) {
  unreadListeners.add(fn);
  return () => unreadListeners.delete(fn);
}

function setUnread(n) {
  unread = Math.max(0, n | 0);
  for (const fn of unreadListeners) fn(unread);
}

async function refreshUnread() {
  try {
    const data = await get('/api/notifications');
    if (data && Array.isArray(data.items)) data.items.forEach((n) => seen.add(n.id));
    const count = data && typeof data.unread_count === 'number'
      ? data.unread_count
      : ((data && data.items) || []).filter((n) => !n.read).length;
    setUnread(count);
  } catch {
    // The badge simply stays as it is.
  }
}

export function startNotifications() {
  stopNotifications();
  if (!currentUser()) return;
  refreshUnread();
  connect();
}

export function stopNotifications() {
  clearTimeout(retryTimer);
  if (source) source.close();
  source = null;
  setUnread(0);
}

function connect() {
  if (!currentUser() || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/notifications/stream', { withCredentials: true });
  source = es;
  es.addEventListener('open', () => { retryDelay = 2000; });
  es.addEventListener('notification', (event) => {
    let n;
    try { n = JSON.parse(event.data); } catch { return; }
    if (!n || (n.id != null && seen.has(n.id))) return;
    if (n.id != null) seen.add(n.id);
    incoming(n);
  });
  es.addEventListener('error', () => {
    // EventSource retries by itself while CONNECTING; once CLOSED (e.g. a 5xx) we retry with backoff.
    if (es.readyState !== EventSource.CLOSED || source !== es) return;
    source = null;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (!currentUser()) return;
      refreshUnread();
      connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  });
}

function incoming(n) {
  let handled = false;
  for (const fn of liveListeners) handled = fn(n) || handled;
  if (handled) return;
  if (!n.read) setUnread(unread + 1);
  if (n.kind === 'video_ready' && !location.pathname.startsWith('/create')) {
    toast(t('notif.video_ready'), { kind: 'success', action: { href: subjectHref(n), label: t('common.view') } });
  }
}

export function subjectHref(n) {
  const subject = n.subject || {};
  const actor = n.actor && n.actor.handle;
  if (n.kind === 'follow' && actor) return `/@${enc(actor)}`;
  // The clip is gone (removed) or was never mine to see (blocked): the likeness page tells the rest.
  if (n.kind === 'cameo_removed') return '/drafts';
  if (n.kind === 'cameo_face_blocked' || n.kind === 'cameo_checked') return '/likeness';
  if (subject.type === 'video' && subject.id) return `/v/${enc(subject.id)}`;
  if (subject.type === 'user') return `/@${enc(subject.handle || actor || subject.id || '')}`;
  return actor ? `/@${enc(actor)}` : '/notifications';
}

const KIND_ICON = {
  video_ready: 'sparkle', like: 'heartFill', comment: 'comment', follow: 'userPlus', remix: 'remix',
  cameo_used: 'face', cameo_published: 'face', cameo_approved: 'check', cameo_face_blocked: 'alert',
  cameo_removed: 'trash', cameo_refused: 'close', cameo_stopped: 'alert', cameo_checked: 'face',
};
// Every likeness kind shares one colour; each has its own sentence (notif.cameo_*).
const LIKENESS_KINDS = new Set([
  'likeness', 'cameo_used', 'cameo_published', 'cameo_face_blocked', 'cameo_removed', 'cameo_approved', 'cameo_refused', 'cameo_stopped',
  'cameo_checked',
]);

// A likeness notification about characters only names the character ("used your character @biscuit"),
// never "your likeness"; one with a person in it keeps the likeness sentence.
function sentence(n) {
  const cast = Array.isArray(n.likeness) ? n.likeness : [];
  const characters = cast.filter((l) => l && l.kind === 'character');
  if (characters.length && characters.length === cast.length) {
    const key = `notif.${n.kind}_character`;
    const text = t(key, { character: characters.map((c) => c.handle).join(', @') });
    if (text !== key) return text;
  }
  const key = `notif.${n.kind}`;
  const text = t(key);
  return text === key ? t('notif.other') : text;
}

function describe(n) {
  const who = n.actor && n.actor.handle ? `@${n.actor.handle}` : t('notif.someone');
  // About my own doing: no "@me" in front.
  if (n.kind === 'video_ready' || n.kind === 'cameo_checked') return [t(`notif.${n.kind}`)];
  return [h('strong', {}, who), ' ', sentence(n)];
}

function item(n) {
  const kind = LIKENESS_KINDS.has(n.kind) ? 'likeness' : n.kind;
  const actor = n.actor && n.actor.handle;
  return h('li', { class: `notif${n.read ? '' : ' unread'}`, testid: 'notification', dataset: { kind: n.kind, read: String(Boolean(n.read)) } },
    h('a', { class: 'notif-link', href: subjectHref(n) },
      h('span', { class: 'notif-visual' },
        n.kind === 'video_ready' || n.kind === 'cameo_checked' || !actor ? h('span', { class: 'notif-app' }, icon('sparkle')) : avatar(actor, 44),
        h('span', { class: `notif-kind kind-${kind}` }, icon(KIND_ICON[n.kind] || (kind === 'likeness' ? 'face' : 'bell')))),
      h('span', { class: 'notif-text' },
        h('span', { class: 'notif-line' }, describe(n)),
        n.comment ? h('span', { class: 'notif-quote', testid: 'notif-comment' }, `“${n.comment}”`) : null,
        n.prompt ? h('span', { class: 'notif-prompt', testid: 'notif-prompt' }, t('notif.clip', { prompt: n.prompt })) : null,
        h('span', { class: 'notif-time' }, timeAgo(n.created_at))),
      n.poster ? h('img', { class: 'notif-thumb', src: n.poster, alt: '', loading: 'lazy', testid: 'notif-thumb' }) : null,
      n.read ? null : h('span', { class: 'notif-dot', 'aria-label': t('notif.unread') })));
}

export function notificationsView(ctx) {
  setTitle(t('notif.title'));
  const list = h('ul', { class: 'notif-list', testid: 'notifications' });
  const body = h('div', { class: 'page-body' }, spinner());
  const page = h('section', { class: 'page notifications-view' },
    h('header', { class: 'page-header' }, h('h1', {}, t('notif.title'))),
    body);

  let markTimer = 0;
  const markRead = (delay = 400) => {
    clearTimeout(markTimer);
    markTimer = setTimeout(() => {
      post('/api/notifications/read').then(() => setUnread(0)).catch(() => {});
    }, delay);
  };
  setUnread(0);

  const live = (n) => {
    if (!list.isConnected) body.replaceChildren(list);
    list.prepend(item(n));
    markRead();
    return true;
  };
  liveListeners.add(live);
  ctx.signal.addEventListener('abort', () => { liveListeners.delete(live); });

  const load = () => {
    body.replaceChildren(spinner());
    get('/api/notifications', { signal: ctx.signal }).then((data) => {
      const items = (data && data.items) || [];
      items.forEach((n) => seen.add(n.id));
      if (!items.length) {
        body.replaceChildren(emptyState({ iconName: 'bell', title: t('notif.emptyTitle'), text: t('notif.emptyText'), testid: 'empty-state' }));
      } else {
        list.replaceChildren(...items.map(item));
        body.replaceChildren(list);
      }
      if (items.some((n) => !n.read) || (data && data.unread_count)) markRead(0);
    }).catch((err) => {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  return page;
}
