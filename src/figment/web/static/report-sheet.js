// The report sheet: a reason (and a note) sent to the moderators; the reported clip leaves the feed.

import { h, toast, openSheet } from './ui.js';
import { t } from './i18n.js';
import { post } from './api.js';

const REPORT_REASONS = ['sexual', 'minor_safety', 'violence', 'hate', 'self_harm', 'harassment', 'impersonation', 'spam', 'other'];

export function openReport(video, card, onRemove) {
  const choices = h('div', { class: 'choices', role: 'radiogroup', 'aria-label': t('report.why') },
    ...REPORT_REASONS.map((code) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'report-reason', value: code, testid: `report-reason-${code}` }),
      h('span', {}, t(`report.reason.${code}`)))));
  const note = h('textarea', { class: 'input', rows: 3, maxlength: 2000, placeholder: t('report.notePlaceholder'), 'aria-label': t('report.note'), testid: 'report-note' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const send = h('button', { type: 'button', class: 'btn primary block', testid: 'report-send' }, t('report.send'));
  const sheet = openSheet({
    title: t('report.title'),
    body: h('div', { class: 'report-form' }, h('p', { class: 'field-hint' }, t('report.intro')), choices,
      h('div', { class: 'field' }, note), error),
    footer: send,
    className: 'report-sheet',
  });
  choices.addEventListener('change', () => { error.textContent = ''; });
  send.addEventListener('click', async () => {
    const picked = choices.querySelector('input:checked');
    if (!picked) { error.textContent = t('report.pickReason'); return; }
    send.disabled = true;
    error.textContent = '';
    try {
      await post('/api/reports', { subject_type: 'video', subject_id: video.id, reason: picked.value, note: note.value.trim() });
      sheet.close();
      toast(t('report.sent'), { kind: 'success' });
      if (onRemove) onRemove(card); // it will not come back in your feed
    } catch (err) {
      error.textContent = err.message; // the server's reason, e.g. already reported
      send.disabled = false;
    }
  });
}
