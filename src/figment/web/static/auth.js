// Log in and sign up. Errors land under the field the API names, or above the button.

import { h, icon, setTitle, langSwitch, toast } from './ui.js';
import { t } from './i18n.js';
import { post, isAbort } from './api.js';
import { loadUser, safeNext } from './session.js';

function field({ name, label, type = 'text', autocomplete, hint = null, required = true, extra = {} }) {
  const id = `f-${name}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', {
    id, name, type, class: 'input', autocomplete, required, testid: `${name}-input`,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...extra,
  });
  const error = h('p', { class: 'field-error', id: errorId, testid: `${name}-error` });
  input.addEventListener('input', () => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  });
  const el = h('div', { class: 'field' },
    h('label', { for: id, class: 'label' }, label, required ? null : h('span', { class: 'optional' }, ` · ${t('auth.optional')}`)),
    input,
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    error);
  return { el, input, error, name };
}

function authPage({ title, subtitle, form, footer }) {
  return h('section', { class: 'page auth-view' },
    h('div', { class: 'auth-top' }, langSwitch()),
    h('div', { class: 'auth-brand' },
      h('span', { class: 'auth-logo' }, icon('sparkle')),
      h('h1', {}, title),
      h('p', { class: 'page-sub' }, subtitle)),
    form,
    h('p', { class: 'auth-footer' }, footer));
}

function wireForm({ form, fields, submit, endpoint, body, ctx, successMessage }) {
  const formError = form.querySelector('.form-error');
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    fields.forEach((f) => { f.error.textContent = ''; f.input.removeAttribute('aria-invalid'); });
    const missing = fields.find((f) => f.input.required && !f.input.value.trim());
    if (missing) {
      missing.error.textContent = t('auth.required');
      missing.input.setAttribute('aria-invalid', 'true');
      missing.input.focus();
      return;
    }
    const label = submit.textContent;
    submit.disabled = true;
    submit.replaceChildren(h('span', { class: 'spinner small', 'aria-hidden': 'true' }), t('auth.working'));
    try {
      await post(endpoint, body(), { signal: ctx.signal });
      await loadUser();
      if (successMessage) toast(successMessage, { kind: 'success' });
      ctx.navigate(safeNext(ctx.query.get('next')), { replace: true });
    } catch (err) {
      if (isAbort(err)) return;
      const target = err.field && byName[err.field];
      if (target) {
        target.error.textContent = ageMessage(err) || err.message;
        target.input.setAttribute('aria-invalid', 'true');
        target.input.focus();
      } else {
        formError.replaceChildren(icon('alert'), h('span', {}, err.message));
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  });
}

// The API's birthdate refusals, in the interface's language (its own message is English).
export function ageMessage(err) {
  const reason = err && err.details && err.details.reason;
  if (reason === 'under_min_age') return t('auth.tooYoung', { age: err.details.min_age });
  if (reason === 'future') return t('auth.birthdateFuture');
  if (reason === 'birthdate_set') return t('auth.birthdateSet');
  return null;
}

function withNext(path, ctx) {
  const next = ctx.query.get('next');
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function loginView(ctx) {
  setTitle(t('auth.login'));
  const login = field({ name: 'login', label: t('auth.loginLabel'), autocomplete: 'username', extra: { autocapitalize: 'none', spellcheck: 'false' } });
  const password = field({ name: 'password', label: t('auth.password'), type: 'password', autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', class: 'btn primary big block', testid: 'login-submit' }, t('auth.login'));
  const form = h('form', { class: 'auth-form', testid: 'login-form', novalidate: true },
    login.el, password.el,
    h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true }),
    submit);
  wireForm({
    form, submit, ctx, fields: [login, password], endpoint: '/api/auth/login',
    body: () => ({ login: login.input.value.trim(), password: password.input.value }),
  });
  requestAnimationFrame(() => { if (!ctx.signal.aborted) login.input.focus(); });
  return authPage({
    title: t('auth.loginTitle'),
    subtitle: t('auth.loginSubtitle'),
    form,
    footer: [t('auth.noAccount'), ' ', h('a', { href: withNext('/signup', ctx), testid: 'to-signup' }, t('auth.signup'))],
  });
}

export function signupView(ctx) {
  setTitle(t('auth.signup'));
  const handle = field({
    name: 'handle', label: t('auth.handle'), autocomplete: 'username', hint: t('auth.handleHint'),
    extra: { autocapitalize: 'none', spellcheck: 'false', maxlength: '30' },
  });
  const email = field({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email' });
  const password = field({ name: 'password', label: t('auth.password'), type: 'password', autocomplete: 'new-password' });
  const birthdate = field({ name: 'birthdate', label: t('auth.birthdate'), type: 'date', autocomplete: 'bday', hint: t('auth.birthdateHint') });
  const submit = h('button', { type: 'submit', class: 'btn primary big block', testid: 'signup-submit' }, t('auth.signupCta'));
  const form = h('form', { class: 'auth-form', testid: 'signup-form', novalidate: true },
    handle.el, email.el, password.el, birthdate.el,
    h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true }),
    submit);
  wireForm({
    form, submit, ctx, fields: [handle, email, password, birthdate], endpoint: '/api/auth/signup',
    successMessage: t('auth.welcome'),
    body: () => {
      const data = { handle: handle.input.value.trim().replace(/^@/, ''), email: email.input.value.trim(), password: password.input.value };
      data.birthdate = birthdate.input.value;
      return data;
    },
  });
  requestAnimationFrame(() => { if (!ctx.signal.aborted) handle.input.focus(); });
  return authPage({
    title: t('auth.signupTitle'),
    subtitle: t('auth.signupSubtitle'),
    form,
    footer: [t('auth.haveAccount'), ' ', h('a', { href: withNext('/login', ctx), testid: 'to-login' }, t('auth.login'))],
  });
}
