// The comments sheet of a clip: read them newest first, and write one when logged in.

import { h, icon, avatar, openSheet, timeAgo, spinner, errorState } from './ui.js';
import { t } from './i18n.js';
import { get, post, enc } from './api.js';
import { currentUser, loginUrl } from './session.js';
import { LIMITS, lengthCounter, isTooLong } from './counter.js';

function commentItem(comment) {
  const who = comment.author ? comment.author.handle : '?';
  return h('li', { class: 'comment', testid: 'comment', dataset: { commentId: comment.id } },
    h('a', { href: `/@${enc(who)}`, class: 'comment-avatar', 'aria-hidden': 'true', tabindex: '-1' }, avatar(who, 34)),
    h('div', { class: 'comment-main' },
      h('div', { class: 'comment-head' },
        h('a', { href: `/@${enc(who)}`, class: 'comment-handle' }, `@${who}`),
        h('span', { class: 'comment-time' }, timeAgo(comment.created_at))),
      h('p', { class: 'comment-body' }, comment.body)));
}

export function openComments(video, card) {
  const list = h('ul', { class: 'comment-list', testid: 'comment-list' });
  const body = h('div', { class: 'comments' }, spinner());
  const titleText = () => t('comments.title', { count: video.comment_count || 0 });
  let footer;
  let input = null;
  if (currentUser()) {
    input = h('input', {
      class: 'input', testid: 'comment-input', name: 'body', autocomplete: 'off',
      placeholder: t('comments.placeholder'), 'aria-label': t('comments.placeholder'), 'aria-describedby': 'comment-count',
    });
    const counter = lengthCounter(input, LIMITS.comment, { id: 'comment-count', testid: 'comment-counter' });
    const send = h('button', { type: 'submit', class: 'icon-button send', testid: 'comment-submit', 'aria-label': t('comments.send'), disabled: true }, icon('send'));
    const error = h('p', { class: 'field-error', role: 'alert', testid: 'comment-error' });
    footer = h('form', { class: 'comment-form', testid: 'comment-form', novalidate: true },
      avatar(currentUser().handle, 32), input, send, h('div', { class: 'comment-foot' }, error, counter));
    input.addEventListener('input', () => {
      send.disabled = !input.value.trim() || isTooLong(input, LIMITS.comment);
      error.textContent = '';
    });
    footer.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text || text.length > LIMITS.comment) return;
      send.disabled = true;
      input.disabled = true;
      try {
        const comment = await post(`/api/videos/${enc(video.id)}/comments`, { body: text });
        input.value = '';
        counter.paint();
        body.querySelector('.state')?.remove();
        if (!list.isConnected) body.replaceChildren(list);
        list.prepend(commentItem(comment || { id: '', author: { handle: currentUser().handle }, body: text, created_at: new Date().toISOString() }));
        if (card && card.setCommentCount) card.setCommentCount((video.comment_count || 0) + 1);
        else video.comment_count = (video.comment_count || 0) + 1;
        sheet.heading.textContent = titleText();
      } catch (err) {
        error.textContent = err.message;
      } finally {
        input.disabled = false;
        send.disabled = !input.value.trim() || isTooLong(input, LIMITS.comment);
        input.focus();
      }
    });
  } else {
    footer = h('a', { class: 'btn primary block', href: loginUrl(), testid: 'comment-login' }, t('comments.loginToComment'));
  }
  const sheet = openSheet({ title: titleText(), body, footer, className: 'comments-sheet' });
  if (input) setTimeout(() => input.focus(), 60);

  const load = () => {
    body.replaceChildren(spinner());
    get(`/api/videos/${enc(video.id)}/comments`).then((data) => {
      const items = (data && data.items) || [];
      items.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      if (!items.length) {
        body.replaceChildren(h('div', { class: 'state compact' }, h('p', { class: 'state-text' }, t('comments.empty'))), list);
        return;
      }
      list.replaceChildren(...items.map(commentItem));
      body.replaceChildren(list);
    }).catch((err) => {
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    });
  };
  load();
  return sheet;
}
