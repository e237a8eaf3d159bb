// History API router. A view is `(ctx) => Element`; it gets `ctx.signal`, aborted when the
// person navigates away, and hangs its teardown (timers, observers, polls) on that signal.

const routes = [];
let root = null;
let current = null;
let guard = null;
const afterHooks = new Set();

export function route(pattern, view) {
  routes.push({ pattern, view });
}

export function setGuard(fn) {
  guard = fn;
}

export function onNavigate(fn) {
  afterHooks.add(fn);
}

// Pages whose document may use the camera and microphone (the server's Permissions-Policy allows them
// there only, web/security.py). A policy belongs to the document, so crossing into or out of one of
// these loads the page afresh instead of switching views in place.
const CAMERA_PAGES = new Set(['/likeness']);

function cameraPage(pathname) {
  return CAMERA_PAGES.has(pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname);
}

export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.origin);
  if (target.origin !== location.origin || cameraPage(target.pathname) !== cameraPage(location.pathname)) {
    if (replace) location.replace(target.href);
    else location.assign(target.href);
    return;
  }
  const path = `${target.pathname}${target.search}${target.hash}`;
  if (replace) history.replaceState({}, '', path);
  else if (path !== `${location.pathname}${location.search}${location.hash}`) history.pushState({}, '', path);
  render();
}

export function refresh() {
  render();
}

function match(pathname) {
  for (const { pattern, view } of routes) {
    const m = pathname.match(pattern);
    if (m) return { view, params: m.slice(1).map((p) => safeDecode(p)) };
  }
  return null;
}

function safeDecode(part) {
  try { return decodeURIComponent(part); } catch { return part; }
}

function render() {
  if (!root) return;
  if (current) current.controller.abort();
  const controller = new AbortController();
  const pathname = location.pathname.length > 1 ? location.pathname.replace(/\/+$/, '') : '/';
  const found = match(pathname) || { view: routes.notFound, params: [] };
  const ctx = {
    path: pathname,
    params: found.params,
    query: new URLSearchParams(location.search),
    signal: controller.signal,
    navigate,
  };
  current = { controller, ctx };
  if (guard) {
    const redirect = guard(ctx, found.view);
    if (redirect) {
      navigate(redirect, { replace: true });
      return;
    }
  }
  let el;
  try {
    el = found.view(ctx);
  } catch (err) {
    console.error('figment: view failed', err);
    el = document.createElement('div');
    el.className = 'page';
    el.textContent = String(err && err.message ? err.message : err);
  }
  root.replaceChildren(el);
  root.scrollTop = 0;
  for (const fn of afterHooks) fn(ctx);
}

export function setNotFound(view) {
  routes.notFound = view;
}

function isPlainLeftClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;
}

export function start(rootEl) {
  root = rootEl;
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', (event) => {
    if (!isPlainLeftClick(event)) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download') || link.dataset.external !== undefined) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) return;
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}${url.hash}`);
  });
  render();
}
