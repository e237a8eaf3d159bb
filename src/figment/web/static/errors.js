// What went wrong, in the reader's language. The API answers every error with a stable `code` and
// `details` (figment/errors.py); its `message` is English. The sentence shown is built from the code
// and the details that name the rule (a likeness rule, a moderation category, a birthdate reason...),
// so an Italian reader never sees an English sentence or a raw code. tests/web/test_error_codes_i18n.py
// fails when the server can answer with a code, rule or reason that has no sentence here.
//
// Generic codes (validation_error, conflict, forbidden, not_found) carry a specific English sentence
// ("Comment must be at most 500 characters"); an English reader gets that sentence, anyone else the
// code's own sentence, or the field's when the API named one.

import { t, lang } from './i18n.js';

const has = (key) => t(key) !== key;

// Details the sentences may name, ready for t().
function vars(details) {
  const d = details || {};
  const time = d.resets_at ? new Date(d.resets_at) : null;
  return {
    handle: d.handle || '',
    lookalike: d.lookalike_of || '',
    restriction: d.restriction || '',
    figure: d.figure || '',
    work: d.work || '',
    holder: d.holder || '',
    limit: d.limit != null ? String(d.limit) : '',
    used: d.used != null ? String(d.used) : '',
    age: d.min_age != null ? String(d.min_age) : '',
    time: time && !Number.isNaN(time.getTime())
      ? new Intl.DateTimeFormat(lang(), { hour: '2-digit', minute: '2-digit' }).format(time) : '',
    minutes: d.retry_after_s ? String(Math.max(1, Math.ceil(Number(d.retry_after_s) / 60))) : '',
  };
}

// The sentence for the rule a likeness refusal names (cameo_permission_denied and its kin).
export function ruleText(rule, details = {}) {
  const key = `error.rule.${rule}`;
  return has(key) ? t(key, vars({ ...details })) : '';
}

function specific(code, details) {
  const d = details || {};
  const v = vars(d);
  if (code === 'moderation_blocked' && has(`moderation.category.${d.category}`)) {
    return t('create.moderationBlocked', { what: t(`moderation.category.${d.category}`) });
  }
  if (code === 'rights_blocked' && d.work) return t('error.rights.work', v);
  if (code === 'public_figure_blocked' && d.figure) return t('error.figure.named', v);
  if (code === 'quota_exceeded' && d.limit != null && v.time) return t('error.quota.detail', v);
  if (code === 'cameo_restricted' && d.handle && d.restriction) return t('error.rule.restriction', v);
  if (d.rule && has(`error.rule.${d.rule}`)) return t(`error.rule.${d.rule}`, v);
  if (d.reason && has(`error.reason.${d.reason}`)) return t(`error.reason.${d.reason}`, v);
  return '';
}

// One sentence for an ApiError-like {code, details, serverMessage}.
export function describeError({ code, details, serverMessage }) {
  const found = specific(code, details);
  if (found) return found;
  const generic = ['validation_error', 'conflict', 'forbidden', 'not_found', 'bad_request'].includes(code);
  if (generic && serverMessage && lang() === 'en') return serverMessage;
  const field = details && typeof details.field === 'string' ? details.field.split('.')[0] : '';
  if (code === 'validation_error' && field && has(`error.field.${field}`)) return t(`error.field.${field}`);
  const key = `error.code.${code}`;
  if (has(key)) return t(key);
  return lang() === 'en' && serverMessage ? serverMessage : t('error.generic');
}

// For any thrown thing: an ApiError's message is already localised (api.js); anything else is generic.
export function errorText(err) {
  if (err && typeof err.code === 'string' && err.name === 'ApiError') return err.message;
  return t('error.generic');
}

// A likeness check's reason ({code, message}) in the reader's language. The server's sentence can name
// what it heard ("heard 4 8 1 7"), so an English reader gets it; anyone else the code's own sentence.
export function verifyReasonText(reason) {
  if (lang() === 'en' && reason && reason.message) return reason.message;
  const key = `error.verify.${reason && reason.code}`;
  return has(key) ? t(key) : t('error.generic');
}

// Why a clip of mine failed or was blocked: the server's English sentence for an English reader, else
// the refusal's code (`error_code`) or, for a render that failed, a plain "it did not work".
export function videoErrorText(video) {
  if (!video || !video.error) return '';
  if (lang() === 'en') return video.error;
  if (video.error_code && has(`error.code.${video.error_code}`)) return t(`error.code.${video.error_code}`);
  return t('error.renderFailed');
}
