// Profile (/@handle): avatar, display name, bio (with @mention and #tag links), counts, cameo status,
// follow and share, pinned clips, and a grid of their published clips; "Edit profile" on your own.

import { h, icon, userAvatar, formatCount, toast, emptyState, errorState, spinner, setTitle, langSwitch } from './ui.js';
import { linkify } from './rich-text.js';
import { shareUrl } from './share.js';
import { editProfileForm } from './profile-edit.js';
import { t, lang } from './i18n.js';
import { get, put, enc, isAbort, ApiError } from './api.js';
import { currentUser, isMe, loginUrl, logout, rememberFollow, setFollow, onFollowChange, loadUser } from './session.js';
import { ageMessage } from './auth.js';

export function profileView(ctx) {
  const handle = ctx.params[0].replace(/^@/, '');
  setTitle(`@${handle}`);
  const back = h('button', {
    type: 'button', class: 'icon-button', testid: 'back-button', 'aria-label': t('common.back'),
    onclick: () => { if (history.length > 1) history.back(); else ctx.navigate('/'); },
  }, icon('back'));
  const topActions = h('div', { class: 'top-actions' });
  const top = h('header', { class: 'top-bar' }, back, h('span', { class: 'top-title' }, `@${handle}`), topActions);
  const body = h('div', { class: 'page-body' }, spinner());
  const page = h('section', { class: 'page profile-view', testid: 'profile' }, top, body);

  const load = () => {
    body.replaceChildren(spinner());
    Promise.all([
      get(`/api/users/${enc(handle)}`, { signal: ctx.signal }),
      get(`/api/users/${enc(handle)}/videos`, { signal: ctx.signal }),
    ]).then(([user, videos]) => {
      render(user, ((videos && videos.items) || []).filter((v) => v.status === 'ready' && v.visibility === 'published'));
    }).catch((err) => {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 404) {
        body.replaceChildren(emptyState({
          iconName: 'user', title: t('profile.notFoundTitle'), text: t('profile.notFoundText', { handle }), testid: 'not-found',
          actions: [h('a', { class: 'btn primary', href: '/' }, t('clip.more'))],
        }));
      } else {
        body.replaceChildren(errorState({ error: err, onRetry: load }));
      }
    });
  };

  const render = (user, clips) => {
    const mine = typeof user.is_me === 'boolean' ? user.is_me : isMe(user.handle);
    if (typeof user.followed_by_me === 'boolean') rememberFollow(user.handle, user.followed_by_me);
    const stat = (value, label, testid) => h('div', { class: 'stat' },
      h('dd', { testid, dataset: { count: String(value || 0) } }, formatCount(value)), h('dt', {}, label));
    const followers = stat(user.follower_count, t('profile.followers'), 'follower-count');
    const stats = h('dl', { class: 'stats' },
      stat(user.video_count != null ? user.video_count : clips.length, t('profile.clips'), 'video-count'),
      followers,
      stat(user.following_count, t('profile.following'), 'following-count'));

    const actions = h('div', { class: 'profile-actions' });
    if (mine) {
      actions.append(
        h('a', { class: 'btn ghost', href: '/drafts', testid: 'profile-drafts' }, icon('drafts'), t('nav.drafts')),
        h('a', { class: 'btn ghost', href: '/likeness', testid: 'profile-likeness' }, icon('face'), t('nav.likeness')),
        h('button', {
          type: 'button', class: 'btn ghost', testid: 'logout-button',
          onclick: async () => {
            try { await logout(); } catch { /* the session is dropped locally either way */ }
            toast(t('auth.loggedOut'));
            ctx.navigate('/');
          },
        }, icon('logout'), t('auth.logout')));
      topActions.replaceChildren(langSwitch());
    } else {
      const follow = h('button', { type: 'button', class: 'btn follow-button', testid: 'follow-button' });
      let following = Boolean(user.followed_by_me);
      const paint = () => {
        follow.classList.toggle('primary', !following);
        follow.classList.toggle('ghost', following);
        follow.setAttribute('aria-pressed', String(following));
        follow.replaceChildren(following ? icon('check') : icon('userPlus'), following ? t('follow.following') : t('follow.follow'));
        follow.setAttribute('aria-label', following ? t('follow.unfollowHandle', { handle: user.handle }) : t('follow.followHandle', { handle: user.handle }));
      };
      paint();
      follow.addEventListener('click', async () => {
        if (!currentUser()) { ctx.navigate(loginUrl()); return; }
        const next = !following;
        follow.disabled = true;
        try {
          await setFollow(user.handle, next);
        } catch (err) {
          toast(err.message, { kind: 'error' });
        } finally {
          follow.disabled = false;
        }
      });
      const off = onFollowChange((who, value) => {
        if (who.toLowerCase() !== user.handle.toLowerCase() || value === following) return;
        following = value;
        user.follower_count = Math.max(0, (user.follower_count || 0) + (value ? 1 : -1));
        const dd = followers.querySelector('dd');
        dd.textContent = formatCount(user.follower_count);
        dd.dataset.count = String(user.follower_count);
        paint();
      });
      ctx.signal.addEventListener('abort', off);
      actions.appendChild(follow);
    }

    const joined = user.created_at
      ? t('profile.joined', { date: new Intl.DateTimeFormat(lang(), { month: 'long', year: 'numeric' }).format(new Date(user.created_at)) })
      : '';
    stats.appendChild(stat(user.likes_received, t('profile.likes'), 'likes-count'));
    const share = h('button', { type: 'button', class: 'btn ghost', testid: 'share-profile' }, icon('share'), t('profile.share'));
    share.addEventListener('click', () => shareUrl({ url: `${location.origin}/@${enc(user.handle)}`, title: user.display_name || `@${user.handle}` }));
    actions.appendChild(share);
    const portrait = h('div', { class: 'profile-avatar', testid: 'profile-avatar' });
    const paintAvatar = (url) => {
      user.avatar_url = url;
      portrait.replaceChildren(userAvatar(user, 92, t('profile.avatarOf', { handle: user.handle })));
    };
    paintAvatar(user.avatar_url);
    const name = user.display_name
      ? h('h1', { class: 'profile-name', testid: 'profile-name' }, user.display_name)
      : null;
    const handleEl = name
      ? h('p', { class: 'profile-handle small', testid: 'profile-handle' }, `@${user.handle}`)
      : h('h1', { class: 'profile-handle', testid: 'profile-handle' }, `@${user.handle}`);
    const bio = user.bio ? h('p', { class: 'profile-bio', testid: 'profile-bio' }, linkify(user.bio)) : null;
    const head = h('div', { class: 'profile-head' },
      portrait, name, handleEl, bio, cameoLine(user),
      joined ? h('p', { class: 'muted' }, joined) : null,
      stats,
      actions);

    let editor = null;
    if (mine) {
      const edit = h('button', { type: 'button', class: 'btn ghost', testid: 'edit-profile', 'aria-expanded': 'false' }, icon('user'), t('profileEdit.open'));
      edit.addEventListener('click', () => {
        if (editor) {
          editor.remove();
          editor = null;
          edit.setAttribute('aria-expanded', 'false');
          return;
        }
        editor = editProfileForm({
          user,
          clips,
          signal: ctx.signal,
          onSaved: (updated) => {
            render(updated, clips);
            // The form is gone with the redraw: the keyboard focus goes back to the button that opened it.
            const again = body.querySelector('[data-testid="edit-profile"]');
            if (again) again.focus();
          },
          onAvatar: (url) => paintAvatar(url),
        });
        editor.id = 'profile-editor';
        edit.setAttribute('aria-controls', editor.id);
        edit.setAttribute('aria-expanded', 'true');
        head.after(editor);
        const first = editor.querySelector('input, textarea');
        if (first) first.focus();
      });
      actions.prepend(edit);
    }

    const pinned = (user.pinned || []).filter((v) => v.urls && v.urls.poster);
    const pinnedRow = pinned.length
      ? [h('h2', { class: 'section-title' }, icon('pin'), t('profile.pinned')),
        h('div', { class: 'clip-grid pinned-row', testid: 'profile-pinned' }, pinned.map((v) => tile(v, { pinned: true })))]
      : [];
    const grid = clips.length
      ? h('div', { class: 'clip-grid', testid: 'profile-clips' }, clips.map((v) => tile(v)))
      : emptyState({
        iconName: 'film',
        title: mine ? t('profile.emptyMineTitle') : t('profile.emptyTitle'),
        text: mine ? t('profile.emptyMineText') : t('profile.emptyText', { handle: user.handle }),
        actions: mine ? [h('a', { class: 'btn primary', href: '/create' }, icon('plus'), t('drafts.create'))] : [],
      });
    setTitle(user.display_name ? `${user.display_name} (@${user.handle})` : `@${user.handle}`);
    body.replaceChildren(head, ...(mine ? [birthdateForm(), steeringForm()].filter(Boolean) : []),
      ...pinnedRow,
      h('h2', { class: 'section-title' }, icon('film'), t('profile.clips')), grid);
  };

  load();
  return page;
}

function tile(video, { pinned = false } = {}) {
  const poster = video.urls && video.urls.poster;
  // Named by its content (the prompt, as the poster's alt text or as text, then the likes), so that what
  // is read out matches what is seen.
  const remix = video.remix_of && video.remix_of.author ? video.remix_of.author.handle : null;
  return h('a', { class: 'tile', href: `/v/${enc(video.id)}`, testid: pinned ? 'pinned-clip' : 'profile-clip', dataset: { videoId: video.id } },
    poster ? h('img', { src: poster, alt: video.prompt, loading: 'lazy' }) : h('span', { class: 'tile-text' }, video.prompt),
    pinned ? h('span', { class: 'tile-badge' }, icon('pin'), t('profile.pinnedBadge')) : null,
    remix ? h('span', { class: 'tile-badge tile-remix' }, icon('remix'), t('card.remixOf', { handle: remix })) : null,
    h('span', { class: 'tile-likes' }, icon('heart'), formatCount(video.like_count)));
}

// "@luna allows mutuals to use her likeness": whom people may tag, from the likeness settings
// (effective for teens), and whether you may.
function cameoLine(user) {
  const cameo = user.cameo || {};
  const person = cameo.person;
  const parts = [];
  parts.push(person
    ? t(`cameo.status.${person.permission}`, { handle: user.handle })
    : t('cameo.status.none', { handle: user.handle }));
  if (person && person.approval_required && person.permission !== 'only_me') parts.push(t('cameo.status.asks'));
  if (person && person.usable_by_me === true && !user.is_me) parts.push(t('cameo.status.youMay'));
  const line = h('p', { class: 'cameo-status', testid: 'cameo-status' }, icon('face'), h('span', {}, parts.join(' ')));
  const characters = (cameo.characters || []).filter((c) => c.permission !== 'only_me');
  if (characters.length) {
    line.lastChild.append(' ', t('cameo.status.characters'), ' ');
    characters.forEach((c, i) => {
      if (i) line.lastChild.append(', ');
      line.lastChild.append(`@${c.handle}`);
    });
  }
  return line;
}

// An account made before signup asked for a date of birth has a teen's protections until it adds one
// (PUT /api/me/birthdate; safety.teens). Nothing to show once it is known.
function birthdateForm() {
  const me = currentUser();
  if (!me || me.birthdate) return null;
  const input = h('input', { type: 'date', class: 'input', name: 'birthdate', autocomplete: 'bday', required: true, testid: 'birthdate-input', 'aria-label': t('auth.birthdate') });
  const error = h('p', { class: 'field-error', testid: 'birthdate-error' });
  const save = h('button', { type: 'submit', class: 'btn primary', testid: 'birthdate-save' }, t('age.save'));
  const form = h('form', { class: 'steer-form', testid: 'birthdate-form', novalidate: true },
    h('h2', { class: 'section-title' }, icon('alert'), t('age.missingTitle')),
    h('p', { class: 'muted' }, t('age.missingBody')), input, error, save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!input.value) { error.textContent = t('auth.required'); input.focus(); return; }
    save.disabled = true;
    try {
      await put('/api/me/birthdate', { birthdate: input.value });
      await loadUser();
      toast(t('age.saved'), { kind: 'success' });
      form.remove();
    } catch (err) {
      error.textContent = ageMessage(err) || (err instanceof ApiError ? err.message : t('error.generic'));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// "Steer my feed": plain words in English or Italian move the next For You page (PUT /api/me/feed-preferences).
function steeringForm() {
  const input = h('textarea', {
    class: 'steer-input', rows: 2, maxlength: 500, testid: 'steer-input',
    placeholder: t('steer.placeholder'), 'aria-label': t('steer.title'),
  });
  const save = h('button', { type: 'submit', class: 'btn primary', testid: 'steer-save' }, t('steer.save'));
  const form = h('form', { class: 'steer-form', testid: 'steer-form' },
    h('h2', { class: 'section-title' }, icon('sparkle'), t('steer.title')),
    h('p', { class: 'muted' }, t('steer.hint')), input, save);
  // What was saved before, unless the person already started typing over it.
  get('/api/me/feed-preferences').then((prefs) => { if (!input.value) input.value = prefs.text || ''; }).catch(() => {});
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await put('/api/me/feed-preferences', { text: input.value });
      toast(t('steer.saved'));
    } catch (err) {
      toast(err instanceof ApiError ? err.message : t('steer.failed'), { kind: 'error' });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
