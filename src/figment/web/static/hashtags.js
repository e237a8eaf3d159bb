// #tags in prompts as links to their tag page (/tag/{name}). The server folds a tag the same way
// whatever its case or look-alike letters (tags/names.py), so the link needs only NFKC and lower case.

import { h } from './ui.js';

// Not after a letter, digit, '_', '#' or '&' (so 'C#' and '&#39;' are not tags), as on the server.
const TAG = /(^|[^\p{L}\p{N}_#&])#([\p{L}\p{N}_]+)/gu;

export function tagHref(name) {
  return `/tag/${encodeURIComponent(name.normalize('NFKC').toLowerCase())}`;
}

// The text as nodes: plain text with each #tag a link.
export function withTagLinks(text) {
  const out = [];
  let last = 0;
  const source = String(text || '');
  for (const match of source.matchAll(TAG)) {
    const start = match.index + match[1].length;
    if (start > last) out.push(source.slice(last, start));
    out.push(h('a', { class: 'tag-link', href: tagHref(match[2]), testid: 'tag-link' }, `#${match[2]}`));
    last = start + 1 + match[2].length;
  }
  if (last < source.length) out.push(source.slice(last));
  return out;
}
