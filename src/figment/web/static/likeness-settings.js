// Who may use my likeness: the permission level, approval before publication, restrictions in my
// own words, and the people I approved (PATCH /api/cameo, /api/cameo/approved).

import { h, icon, toast } from './ui.js';
import { t } from './i18n.js';
import { api, post, del, enc } from './api.js';
import { PERMISSIONS, errorBox, showError, hideError, section } from './likeness-ui.js';

export function settingsSection(initial, onSaved) {
  let cameo = initial;
  const box = errorBox('settings-error');
  const note = h('p', { class: 'muted lk-note' });

  const radios = h('div', { class: 'lk-radios', role: 'radiogroup', 'aria-labelledby': 'lk-permission-label' });
  const approval = h('input', { type: 'checkbox', class: 'lk-switch', id: 'lk-approval', testid: 'approval-required' });
  const restrictionList = h('ul', { class: 'lk-chips', testid: 'restrictions' });
  const restrictionInput = h('input', {
    class: 'input', id: 'lk-restriction', testid: 'restriction-input', maxlength: '200',
    placeholder: t('likeness.restrictionPlaceholder'), autocomplete: 'off',
  });
  const approvedList = h('ul', { class: 'lk-chips', testid: 'approved' });
  const approvedInput = h('input', {
    class: 'input', id: 'lk-approved', testid: 'approved-input', maxlength: '64',
    placeholder: t('likeness.approvedPlaceholder'), autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
  });

  const apply = (next) => {
    cameo = next;
    paint();
    onSaved();
  };
  const run = async (request, done = null) => {
    hideError(box);
    try {
      apply(await request());
      toast(t('likeness.saved'), { kind: 'success' });
      if (done) done();
      return true;
    } catch (err) {
      showError(box, err);
      paint(); // back to what the server holds
      return false;
    }
  };
  const patch = (body) => run(() => api('/api/cameo', { method: 'PATCH', body }));

  const paint = () => {
    const choices = (cameo.permission_choices || PERMISSIONS).filter((p) => PERMISSIONS.includes(p));
    radios.replaceChildren(...choices.map((p) => {
      const input = h('input', { type: 'radio', name: 'lk-permission', value: p, testid: `permission-${p}` });
      input.checked = p === cameo.permission;
      input.addEventListener('change', () => { if (input.checked) patch({ permission: p }); });
      return h('label', { class: 'lk-radio' }, input,
        h('span', {}, h('strong', {}, t(`likeness.permission.${p}`)), h('small', { class: 'muted' }, t(`likeness.permissionHint.${p}`))));
    }));
    approval.checked = Boolean(cameo.approval_required);
    note.textContent = cameo.verified ? '' : t('likeness.settingsBeforeVerify');
    note.hidden = Boolean(cameo.verified);
    const restrictions = cameo.restrictions || [];
    restrictionList.replaceChildren(...restrictions.map((text, i) => h('li', { class: 'lk-chip', testid: 'restriction' },
      h('span', {}, text),
      h('button', {
        type: 'button', class: 'icon-button small', 'aria-label': t('likeness.removeRestriction', { text }), testid: 'restriction-remove',
        onclick: () => patch({ restrictions: restrictions.filter((_, j) => j !== i) }),
      }, icon('close')))));
    if (!restrictions.length) restrictionList.appendChild(h('li', { class: 'muted lk-empty' }, t('likeness.noRestrictions')));
    const approved = cameo.approved || [];
    approvedList.replaceChildren(...approved.map((handle) => h('li', { class: 'lk-chip', testid: 'approved-handle', dataset: { handle } },
      h('span', {}, `@${handle}`),
      h('button', {
        type: 'button', class: 'icon-button small', 'aria-label': t('likeness.removeApproved', { handle }), testid: 'approved-remove',
        onclick: () => run(() => del(`/api/cameo/approved/${enc(handle)}`)),
      }, icon('close')))));
    if (!approved.length) approvedList.appendChild(h('li', { class: 'muted lk-empty' }, t('likeness.noApproved')));
  };
  approval.addEventListener('change', () => patch({ approval_required: approval.checked }));

  const restrictionForm = h('form', { class: 'lk-add', testid: 'restriction-form' },
    restrictionInput, h('button', { type: 'submit', class: 'btn small', testid: 'restriction-add' }, icon('plus'), t('likeness.add')));
  restrictionForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = restrictionInput.value.trim();
    if (!text) return;
    patch({ restrictions: [...(cameo.restrictions || []), text] }).then((ok) => {
      if (ok) restrictionInput.value = '';
      restrictionInput.focus();
    });
  });
  const approvedForm = h('form', { class: 'lk-add', testid: 'approved-form' },
    approvedInput, h('button', { type: 'submit', class: 'btn small', testid: 'approved-add' }, icon('userPlus'), t('likeness.add')));
  approvedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const handle = approvedInput.value.trim().replace(/^@/, '');
    if (!handle) return;
    run(() => post('/api/cameo/approved', { handle })).then((ok) => {
      if (ok) approvedInput.value = '';
      approvedInput.focus();
    });
  });

  paint();
  return section(t('likeness.whoTitle'), 'user', 'likeness-settings',
    note,
    h('p', { class: 'label', id: 'lk-permission-label' }, t('likeness.permissionLabel')),
    radios,
    h('label', { class: 'lk-toggle', for: 'lk-approval' }, approval,
      h('span', {}, h('strong', {}, t('likeness.approvalLabel')), h('small', { class: 'muted' }, t('likeness.approvalHint')))),
    h('label', { class: 'label', for: 'lk-restriction' }, t('likeness.restrictionsLabel')),
    h('p', { class: 'field-hint' }, t('likeness.restrictionsHint')),
    restrictionList, restrictionForm,
    h('label', { class: 'label', for: 'lk-approved' }, t('likeness.approvedLabel')),
    h('p', { class: 'field-hint' }, t('likeness.approvedHint')),
    approvedList, approvedForm,
    box);
}
