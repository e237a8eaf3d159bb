// My characters: likenesses with no face (a dog, a robot) that others may tag by their rules; their
// looks are what the server's video backend can draw.

import { h, icon, toast, confirmDialog, spinner, errorState } from './ui.js';
import { t } from './i18n.js';
import { api, get, post, del, enc, isAbort } from './api.js';
import { PERMISSIONS, errorBox, showError, hideError, section } from './likeness-ui.js';

const options = (values, labelFor) => values.map((o) => h('option', { value: o }, labelFor(o)));

function select(values, value, labelFor, props = {}) {
  const el = h('select', { class: 'select', ...props }, options(values, labelFor));
  el.value = value;
  return h('div', { class: 'select-wrap' }, el);
}

const lookLabel = (look) => (look ? look.replace(/_/g, ' ') : t('likeness.char.lookAuto'));

export function charactersSection(signal, onChange) {
  const list = h('div', { class: 'lk-list' }, spinner());
  const box = errorBox('character-error');
  const handle = h('input', { class: 'input', id: 'lk-char-handle', testid: 'character-handle', maxlength: '30', autocapitalize: 'none', spellcheck: 'false', placeholder: 'biscotto' });
  const description = h('input', { class: 'input', id: 'lk-char-description', testid: 'character-description', maxlength: '300', placeholder: t('likeness.char.descriptionPlaceholder') });
  // The looks are what the server's video backend can draw (GET /api/cameo/looks); until they arrive,
  // or if they cannot, a character is made from its description alone.
  const styleLabel = (s) => (s ? t(`likeness.style.${s}`) : t('likeness.char.styleNone'));
  const look = select([''], '', lookLabel, { id: 'lk-char-look', testid: 'character-look' });
  const style = select([''], '', styleLabel, { id: 'lk-char-style', testid: 'character-style' });
  const lookRow = h('div', { class: 'lk-two' },
    h('div', {}, h('label', { class: 'label', for: 'lk-char-look' }, t('likeness.char.look')), look),
    h('div', {}, h('label', { class: 'label', for: 'lk-char-style' }, t('likeness.char.style')), style));
  get('/api/cameo/looks', { signal }).then((looks) => {
    const sprites = looks.suggested.length ? looks.suggested : looks.sprites;
    look.firstChild.replaceChildren(...options(['', ...sprites], lookLabel));
    style.firstChild.replaceChildren(...options(['', ...looks.styles], styleLabel));
    // A backend that draws no looks: nothing to choose, so the pickers are not shown.
    lookRow.hidden = !sprites.length;
  }).catch(() => { /* description alone: the form still works */ });
  const permission = select(PERMISSIONS, 'only_me', (p) => t(`likeness.permission.${p}`), { id: 'lk-char-permission', testid: 'character-permission' });
  const form = h('form', { class: 'lk-form', testid: 'character-form' },
    h('h3', { class: 'lk-subtitle' }, t('likeness.char.new')),
    h('label', { class: 'label', for: 'lk-char-handle' }, t('likeness.char.handle')), handle,
    h('label', { class: 'label', for: 'lk-char-description' }, t('likeness.char.description')), description,
    lookRow,
    h('label', { class: 'label', for: 'lk-char-permission' }, t('likeness.permissionLabel')), permission,
    box,
    h('button', { type: 'submit', class: 'btn primary', testid: 'character-create' }, icon('plus'), t('likeness.char.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideError(box);
    const sprite = look.firstChild.value;
    const drawn = style.firstChild.value;
    try {
      const created = await post('/api/characters', {
        handle: handle.value.trim().replace(/^@/, ''),
        description: description.value,
        look: sprite ? (drawn ? `${sprite}/${drawn}` : sprite) : null,
        permission: permission.firstChild.value,
      });
      toast(t('likeness.char.created', { handle: created.handle }), { kind: 'success' });
      handle.value = '';
      description.value = '';
      reload();
      onChange();
    } catch (err) {
      showError(box, err);
    }
  });

  const row = (c) => {
    const rowBox = errorBox('character-row-error');
    const perm = select(PERMISSIONS, c.permission, (p) => t(`likeness.permission.${p}`), { 'aria-label': t('likeness.char.permissionOf', { handle: c.handle }), testid: 'character-row-permission' });
    perm.firstChild.addEventListener('change', async (event) => {
      hideError(rowBox);
      try {
        await api(`/api/characters/${enc(c.handle)}`, { method: 'PATCH', body: { permission: event.target.value } });
        toast(t('likeness.saved'), { kind: 'success' });
        onChange();
      } catch (err) {
        event.target.value = c.permission;
        showError(rowBox, err);
      }
    });
    const remove = h('button', { type: 'button', class: 'btn ghost small danger-text', testid: 'character-delete' }, icon('trash'), t('draft.delete'));
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({ title: t('likeness.char.deleteTitle', { handle: c.handle }), message: t('likeness.char.deleteText'), confirmLabel: t('draft.delete'), danger: true });
      if (!ok) return;
      try {
        const out = await del(`/api/characters/${enc(c.handle)}`);
        toast(t('likeness.char.deleted', { count: (out && out.clips_removed) || 0 }));
        reload();
        onChange();
      } catch (err) {
        showError(rowBox, err);
      }
    });
    const [sprite, drawn] = String(c.look || '').split('/');
    return h('article', { class: 'lk-character', testid: 'character', dataset: { handle: c.handle } },
      h('div', { class: 'lk-character-head' },
        h('strong', {}, `@${c.handle}`),
        h('span', { class: 'muted' }, c.look ? `${lookLabel(sprite)}${drawn ? ` · ${t(`likeness.style.${drawn}`)}` : ''}` : t('likeness.char.lookAuto'))),
      h('p', { class: 'lk-character-text' }, c.description),
      h('div', { class: 'lk-character-actions' }, perm, remove),
      rowBox);
  };

  const reload = async () => {
    try {
      const data = await get('/api/characters', { signal });
      const items = (data && data.items) || [];
      list.replaceChildren(...(items.length ? items.map(row) : [h('p', { class: 'muted lk-empty' }, t('likeness.char.none'))]));
    } catch (err) {
      if (isAbort(err)) return;
      list.replaceChildren(errorState({ error: err, onRetry: reload }));
    }
  };
  reload();
  return section(t('likeness.char.title'), 'sparkle', 'characters',
    h('p', { class: 'muted' }, t('likeness.char.text')), list, form);
}
