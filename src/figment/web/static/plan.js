// "What Figment understood": a compact, translated reading of a clip's scene plan, under a ready draft.
// Values the planner guessed (the prompt did not say) are marked, so authors know what to spell out.

import { h } from './ui.js';
import { t, lang } from './i18n.js';

// Unlisted values (English mostly reads fine as is) fall back to the plan's own word.
function label(group, value) {
  const key = `plan.${group}.${value}`;
  const text = t(key);
  return text === key ? String(value).replace(/_/g, ' ') : text;
}

// No emoji here: many desktop systems lack an emoji font and would draw empty boxes; the thumbnail shows them.
function subjectText(s) {
  const parts = [];
  if (s.count > 1) parts.push(String(s.count));
  const noun = s.word || s.key;
  const colour = s.color ? label('color', s.color) : null;
  // Italian puts the colour after the noun ("gatto rosso"), English before it ("red cat").
  if (colour && lang() === 'it') parts.push(noun, colour);
  else parts.push(...[colour, noun].filter(Boolean));
  return `${parts.join(' ')} · ${label('action', s.action)}`;
}

function row(key, value, guessed) {
  return h('div', { class: `plan-row${guessed ? ' guessed' : ''}`, dataset: { field: key } },
    h('dt', {}, t(`plan.field.${key}`)),
    h('dd', {}, value, guessed ? h('span', { class: 'plan-guess', title: t('plan.guessedHint') }, ` · ${t('plan.guessed')}`) : null));
}

export function planSummary(plan) {
  if (!plan || typeof plan !== 'object' || !plan.setting) return null;
  const inferred = new Set(plan.inferred || []);
  const shots = Array.isArray(plan.shots) && plan.shots.length ? plan.shots : [plan];
  const rows = [];
  const scene = (s) => [label('setting', s.setting), label('time', s.time_of_day), label('weather', s.weather)].join(' · ');
  if (shots.length > 1) {
    rows.push(row('shots', h('ol', { class: 'plan-shots' }, shots.map((s) => h('li', {},
      scene(s), (s.subjects || []).length ? ` — ${s.subjects.map(subjectText).join(', ')}` : '',
      ` (${label('camera', s.camera)})`)))));
  } else {
    rows.push(row('scene', scene(plan), inferred.has('setting') || inferred.has('time_of_day')));
    const subjects = plan.subjects || [];
    rows.push(row('subjects', subjects.length ? subjects.map(subjectText).join(', ') : t('plan.none'), inferred.has('subjects')));
    rows.push(row('camera', label('camera', plan.camera), inferred.has('camera')));
  }
  rows.push(row('mood', `${label('mood', plan.mood)} · ♪ ${plan.music_key || ''} ${plan.tempo_bpm ? `${plan.tempo_bpm} bpm` : ''}`.trim(), inferred.has('mood')));
  rows.push(row('style', label('style', plan.style || 'natural'), inferred.has('style')));
  if ((plan.dialogue || []).length) rows.push(row('dialogue', plan.dialogue.map((d) => `“${d}”`).join(' ')));
  if ((plan.guessed || []).length) {
    // Words no list holds, read as the nearest thing the engine can draw ("schnauzer→dog").
    rows.push(h('div', { class: 'plan-row guessed-words', dataset: { field: 'guessed' } },
      h('dt', {}, t('plan.field.guessed')), h('dd', {}, plan.guessed.join(', '))));
  }
  if ((plan.unknown_words || []).length) {
    rows.push(h('div', { class: 'plan-row unknown', dataset: { field: 'unknown' } },
      h('dt', {}, t('plan.field.unknown')), h('dd', {}, plan.unknown_words.join(', '))));
  }
  return h('details', { class: 'plan-summary', testid: 'plan-summary', open: true },
    h('summary', {}, t('plan.title')),
    h('dl', {}, rows));
}
