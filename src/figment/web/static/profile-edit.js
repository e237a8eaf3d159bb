// "Edit profile" on your own profile: display name and bio with length counters, up to three pinned
// clips (in the order chosen), and the avatar, generated from a prompt (no uploads): POST /api/me/avatar
// queues it through the clip path's checks, GET /api/me/avatar is polled until it is made or refused.

import { h, icon, toast } from './ui.js';
import { t } from './i18n.js';
import { api, get, post, del, ApiError } from './api.js';
import { loadUser } from './session.js';

// The server's limits (profiles.text, profiles.service, videos.service.MAX_PROMPT).
const MAX_NAME = 50;
const MAX_BIO = 300;
const MAX_PINS = 3;
const MAX_PROMPT = 1000;

let fieldSeq = 0;

function counted(kind, { id, label, value, max, rows = 0, testid, placeholder = '' }) {
  const counterId = `${id}-count`;
  const errorId = `${id}-error`;
  const input = rows
    ? h('textarea', { id, class: 'input', rows, maxlength: max, testid, placeholder, 'aria-describedby': `${counterId} ${errorId}` })
    : h('input', { id, class: 'input', type: 'text', maxlength: max, testid, placeholder, autocomplete: kind, 'aria-describedby': `${counterId} ${errorId}` });
  input.value = value || '';
  const counter = h('span', { class: 'counter', id: counterId, testid: `${testid}-counter` });
  const error = h('p', { class: 'field-error', id: errorId, testid: `${testid}-error` });
  const paint = () => {
    const n = input.value.length;
    counter.textContent = `${n}/${max}`;
    counter.classList.toggle('warn', n > max * 0.9);
  };
  input.addEventListener('input', () => { paint(); error.textContent = ''; input.removeAttribute('aria-invalid'); });
  paint();
  const field = h('div', { class: 'field' },
    h('label', { for: id, class: 'label' }, label), input, h('div', { class: 'field-foot' }, error, counter));
  return { field, input, error };
}

// The server's checks name the field and why; say it in the reader's language.
export function profileErrorText(err) {
  if (!(err instanceof ApiError)) return t('error.generic');
  const d = err.details || {};
  if (d.field === 'pinned') return t('profileEdit.errPinned');
  if (d.reason === 'mixed_scripts') return t('profileEdit.errMixed');
  if (d.character) return t('profileEdit.errHidden', { character: d.character });
  if (d.field === 'display_name' && /'@'/.test(err.message)) return t('profileEdit.errAt');
  if (d.field === 'bio' && /lines/.test(err.message)) return t('profileEdit.errLines');
  if (/at most/.test(err.message)) return t('profileEdit.errLength');
  return err.message;
}

export function avatarErrorText(err) {
  if (!(err instanceof ApiError)) return t('error.generic');
  const d = err.details || {};
  switch (err.code) {
    case 'cameo_permission_denied':
      return t(d.rule === 'not_verified' ? 'avatar.errNotVerified' : 'avatar.errCameo', { handle: d.handle || '?' });
    case 'cameo_restricted': return t('avatar.errRestricted', { handle: d.handle || '?', restriction: d.restriction || '' });
    case 'moderation_blocked': return t('avatar.errModeration');
    case 'public_figure_blocked': return t('avatar.errPublicFigure');
    case 'rights_blocked': return t('avatar.errRights', { work: d.work || '', holder: d.holder || '' });
    case 'quota_exceeded': return t('avatar.errQuota');
    default:
      if (d.rule === 'approval_required') return t('avatar.errApproval', { handle: d.handle || '?' });
      if (d.field === 'prompt') return t('avatar.errPrompt');
      return err.message;
  }
}

export function editProfileForm({ user, clips, signal, onSaved, onAvatar }) {
  fieldSeq += 1;
  const name = counted('nickname', { id: `edit-name-${fieldSeq}`, label: t('profileEdit.displayName'), value: user.display_name, max: MAX_NAME, testid: 'edit-display-name' });
  const bio = counted('off', { id: `edit-bio-${fieldSeq}`, label: t('profileEdit.bio'), value: user.bio, max: MAX_BIO, rows: 3, testid: 'edit-bio', placeholder: t('profileEdit.bioPlaceholder') });
  const bioHint = h('p', { class: 'field-hint' }, t('profileEdit.bioHint'));
  bio.field.insertBefore(bioHint, bio.field.lastChild);

  // Pinned: toggle buttons over your published clips; the order you pick them in is the order shown.
  let pins = (user.pinned || []).map((v) => v.id);
  const pinError = h('p', { class: 'field-error', testid: 'edit-pins-error', role: 'alert' });
  const pinButtons = clips.map((video) => {
    const badge = h('span', { class: 'pin-order', 'aria-hidden': 'true' });
    const btn = h('button', { type: 'button', class: 'pin-choice', testid: 'pin-choice', dataset: { videoId: video.id } },
      video.urls && video.urls.poster ? h('img', { src: video.urls.poster, alt: '' }) : null,
      badge);
    btn.addEventListener('click', () => {
      pinError.textContent = '';
      if (pins.includes(video.id)) pins = pins.filter((id) => id !== video.id);
      else if (pins.length >= MAX_PINS) { pinError.textContent = t('profileEdit.pinsFull', { count: MAX_PINS }); return; }
      else pins = [...pins, video.id];
      paintPins();
    });
    btn.badge = badge;
    btn.prompt = video.prompt || '';
    return btn;
  });
  const paintPins = () => {
    for (const btn of pinButtons) {
      const at = pins.indexOf(btn.dataset.videoId);
      btn.setAttribute('aria-pressed', String(at >= 0));
      btn.badge.textContent = at >= 0 ? String(at + 1) : '';
      btn.setAttribute('aria-label', at >= 0 ? t('profileEdit.pinnedAs', { n: at + 1, prompt: btn.prompt }) : btn.prompt);
    }
  };
  paintPins();
  const pinsLabelId = `edit-pins-${fieldSeq}`;
  const pinField = h('div', { class: 'field' },
    h('span', { class: 'label', id: pinsLabelId }, t('profileEdit.pinned', { count: MAX_PINS })),
    clips.length
      ? h('div', { class: 'pin-grid', role: 'group', 'aria-labelledby': pinsLabelId }, pinButtons)
      : h('p', { class: 'field-hint' }, t('profileEdit.noClipsToPin')),
    pinError);

  const save = h('button', { type: 'submit', class: 'btn primary', testid: 'edit-save' }, icon('check'), t('profileEdit.save'));
  const formError = h('p', { class: 'field-error', role: 'alert', testid: 'edit-error' });
  const form = h('form', { class: 'profile-edit', testid: 'profile-edit-form', novalidate: true },
    h('h2', { class: 'section-title' }, icon('user'), t('profileEdit.title')),
    name.field, bio.field, pinField, formError, h('div', { class: 'form-actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    save.disabled = true;
    try {
      const updated = await api('/api/me', { method: 'PATCH', body: { display_name: name.input.value, bio: bio.input.value, pinned: pins } });
      toast(t('profileEdit.saved'), { kind: 'success' });
      loadUser();
      onSaved(updated);
    } catch (err) {
      const text = profileErrorText(err);
      const target = err instanceof ApiError && err.details ? err.details.field : null;
      const field = target === 'display_name' ? name : target === 'bio' ? bio : null;
      if (field) { field.error.textContent = text; field.input.setAttribute('aria-invalid', 'true'); field.input.focus(); }
      else if (target === 'pinned') pinError.textContent = text;
      else formError.textContent = text;
    } finally {
      save.disabled = false;
    }
  });

  return h('div', { class: 'profile-editor' }, form, avatarForm({ signal, onAvatar }));
}

function avatarForm({ signal, onAvatar }) {
  fieldSeq += 1;
  const prompt = counted('off', { id: `avatar-prompt-${fieldSeq}`, label: t('avatar.prompt'), value: '', max: MAX_PROMPT, rows: 2, testid: 'avatar-prompt', placeholder: t('avatar.placeholder') });
  const status = h('p', { class: 'avatar-status', role: 'status', testid: 'avatar-status' });
  const make = h('button', { type: 'submit', class: 'btn primary', testid: 'avatar-generate' }, icon('sparkle'), t('avatar.generate'));
  const remove = h('button', { type: 'button', class: 'btn ghost', testid: 'avatar-remove' }, icon('trash'), t('avatar.remove'));
  const form = h('form', { class: 'profile-edit', testid: 'avatar-form', novalidate: true },
    h('h2', { class: 'section-title' }, icon('face'), t('avatar.title')),
    h('p', { class: 'field-hint' }, t('avatar.hint')),
    prompt.field, status, h('div', { class: 'form-actions' }, make, remove));

  let timer = 0;
  signal.addEventListener('abort', () => clearTimeout(timer));
  const poll = async () => {
    let state;
    try { state = await get('/api/me/avatar', { signal }); } catch { if (!signal.aborted) timer = setTimeout(poll, 2000); return; }
    const pending = state.pending;
    if (pending && (pending.status === 'queued' || pending.status === 'rendering')) {
      status.textContent = t('avatar.making', { progress: pending.progress || 0 });
      timer = setTimeout(poll, 700);
      return;
    }
    make.disabled = false;
    if (pending && (pending.status === 'failed' || pending.status === 'blocked')) {
      status.textContent = t(pending.status === 'blocked' ? 'avatar.blocked' : 'avatar.failed', { reason: pending.error || '' });
      status.classList.add('error');
      return;
    }
    status.textContent = t('avatar.done');
    toast(t('avatar.done'), { kind: 'success' });
    loadUser();
    onAvatar(state.avatar_url);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.classList.remove('error');
    status.textContent = '';
    prompt.error.textContent = '';
    if (!prompt.input.value.trim()) { prompt.error.textContent = t('avatar.errPrompt'); prompt.input.focus(); return; }
    make.disabled = true;
    try {
      await post('/api/me/avatar', { prompt: prompt.input.value });
      status.textContent = t('avatar.making', { progress: 0 });
      timer = setTimeout(poll, 500);
    } catch (err) {
      make.disabled = false;
      prompt.error.textContent = avatarErrorText(err);
      prompt.input.setAttribute('aria-invalid', 'true');
      prompt.input.focus();
    }
  });
  remove.addEventListener('click', async () => {
    try {
      await del('/api/me/avatar');
      status.classList.remove('error');
      status.textContent = t('avatar.removed');
      loadUser();
      onAvatar(null);
    } catch (err) {
      toast(err.message, { kind: 'error' });
    }
  });
  return form;
}
