// Figment's service worker: the app shell (the page, its modules, styles and icons) is kept so that the
// installed app starts without a network. Nothing else is ever stored: no API answer, no clip, no poster
// (a draft is private, and a feed is personal). Served at /sw.js by web.routes, which fills in the
// release and the shell's URLs; a new release is a new file, so the browser installs it and the old
// cache is dropped.

const RELEASE = '__RELEASE__';
const SHELL = __SHELL__;
const CACHE = `figment-shell-${RELEASE}`;
const OFFLINE_PAGE = '/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([OFFLINE_PAGE, ...SHELL]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('figment-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // never cached: the network answers, or the app says it is offline
  if (request.mode === 'navigate') {
    // The network first (the page carries link previews and may change); the stored shell when offline.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE).then((hit) => hit || Response.error())));
    return;
  }
  if (url.pathname.startsWith('/static/') && url.searchParams.has('v')) {
    // Versioned files never change under their URL.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
