// Plain text with @mentions and #hashtags turned into links, built as DOM nodes (never innerHTML), so
// nothing in a bio can inject markup. @handle -> /@handle (the handle alphabet of accounts.handles);
// #tag -> /tag/{tag} in lower case (letters and digits of any script, and _).

import { h } from './ui.js';
import { enc } from './api.js';

const TOKEN = /(^|[^\p{L}\p{N}_@#&/])([@#])([\p{L}\p{N}_]{1,50})/gu;
const HANDLE = /^[A-Za-z0-9_]{3,30}$/;

export function linkify(text) {
  const out = document.createDocumentFragment();
  const source = String(text || '');
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const [, before, sigil, word] = match;
    const start = match.index + before.length;
    if (sigil === '@' && !HANDLE.test(word)) continue;
    out.append(source.slice(last, start));
    const href = sigil === '@' ? `/@${enc(word.toLowerCase())}` : `/tag/${enc(word.toLowerCase())}`;
    out.append(h('a', { href, class: sigil === '@' ? 'bio-mention' : 'bio-tag', testid: sigil === '@' ? 'bio-mention' : 'bio-tag' }, `${sigil}${word}`));
    last = start + 1 + word.length;
  }
  out.append(source.slice(last));
  return out;
}
