// A pending clip's place in line and when it should be ready ("3rd in line · about 2 minutes"),
// from the API's queue_position and eta_s; redrawn with each poll of the clip.

import { h } from './ui.js';
import { t, lang } from './i18n.js';

function ordinal(n) {
  const form = new Intl.PluralRules(lang(), { type: 'ordinal' }).select(n);
  return t(`queue.ordinal.${form}`, { n: new Intl.NumberFormat(lang()).format(n) });
}

// Round to what an estimate can honestly claim: seconds under a minute, minutes under 90, then hours.
export function roughDuration(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  const unit = (value, name, digits = 0) => new Intl.NumberFormat(lang(), {
    style: 'unit', unit: name, unitDisplay: 'long', maximumFractionDigits: digits,
  }).format(value);
  if (s < 60) return unit(s < 10 ? Math.max(1, Math.round(s)) : Math.round(s / 5) * 5, 'second');
  if (s < 90 * 60) return unit(Math.max(1, Math.round(s / 60)), 'minute');
  return unit(Math.round(s / 360) / 10, 'hour', 1);
}

export function queueText(video) {
  if (!video || (video.status !== 'queued' && video.status !== 'rendering')) return '';
  const place = Number.isInteger(video.queue_position) && video.queue_position > 0 ? video.queue_position : null;
  const eta = Number.isFinite(video.eta_s) ? roughDuration(video.eta_s) : null;
  if (place && eta) return t('queue.placeAndEta', { place: ordinal(place), eta });
  if (place) return t('queue.place', { place: ordinal(place) });
  if (eta) return t('queue.left', { eta });
  return '';
}

export function paintQueue(el, video) {
  const text = queueText(video);
  el.textContent = text;
  el.hidden = !text;
}

export function queueLine(video) {
  const el = h('p', { class: 'queue-line', testid: 'queue-line' });
  paintQueue(el, video);
  return el;
}
