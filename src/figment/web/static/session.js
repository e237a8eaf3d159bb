// Who is signed in, and what the client already knows about follow state.

import { ApiError, get, post, del, enc } from './api.js';

let me = null;
const listeners = new Set();

export function currentUser() {
  return me;
}

export function isMe(handle) {
  return Boolean(me && handle && me.handle.toLowerCase() === String(handle).toLowerCase());
}

export function onUserChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit() {
  for (const fn of listeners) fn(me);
}

export async function loadUser() {
  try {
    me = await get('/api/me');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('figment: /api/me failed', err);
    me = null;
  }
  emit();
  return me;
}

export function setUser(user) {
  me = user;
  emit();
}

export async function logout() {
  try { await post('/api/auth/logout'); } finally { setUser(null); }
}

// Where to send a signed-out person, coming back here afterwards.
export function loginUrl(next) {
  const target = next || `${location.pathname}${location.search}`;
  return `/login?next=${enc(target)}`;
}

// Only same-site paths are accepted as a post-login destination.
export function safeNext(value) {
  if (!value || typeof value !== 'string') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/login') || value.startsWith('/signup')) return '/';
  return value;
}

// Follow state per handle, shared by every card and profile on screen.
const follows = new Map();
const followListeners = new Set();

export function followState(handle) {
  return follows.get(String(handle).toLowerCase());
}

export function rememberFollow(handle, value) {
  if (typeof value !== 'boolean') return;
  follows.set(String(handle).toLowerCase(), value);
  for (const fn of followListeners) fn(handle, value);
}

export function onFollowChange(fn) {
  followListeners.add(fn);
  return () => followListeners.delete(fn);
}

export async function setFollow(handle, value) {
  const path = `/api/users/${enc(handle)}/follow`;
  rememberFollow(handle, value);
  try {
    if (value) await post(path);
    else await del(path);
  } catch (err) {
    // Following someone you already follow (or the reverse) is not a failure for the viewer.
    if (err instanceof ApiError && err.code === 'conflict') return;
    rememberFollow(handle, !value);
    throw err;
  }
}
