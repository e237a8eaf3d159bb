// Sharing a link: the system share sheet (Web Share API) on phones, where it is how people pass links
// to chats and other apps; elsewhere (a desktop browser) the link is copied, with a fallback sheet.

import { shareLink } from './ui.js';

function isPhone() {
  return window.matchMedia('(pointer: coarse)').matches && window.matchMedia('(max-width: 820px)').matches;
}

// Resolves 'shared', 'copied' or 'cancelled' (the person closed the share sheet).
export async function shareUrl({ url, title = '', text = '' }) {
  const data = { url, title, text };
  if (isPhone() && typeof navigator.share === 'function' && (!navigator.canShare || navigator.canShare(data))) {
    try {
      await navigator.share(data);
      return 'shared';
    } catch (err) {
      if (err && err.name === 'AbortError') return 'cancelled';
      // NotAllowedError (no user gesture left) and the like: copying still gives the link.
    }
  }
  await shareLink(url);
  return 'copied';
}
