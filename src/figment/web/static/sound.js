// Sound: one switch for every clip on the page, remembered across visits.

import { icon } from './ui.js';
import { t } from './i18n.js';
import { readPref, writePref } from './prefs.js';

let muted = readPref('muted', '1') !== '0';

export function isMuted() {
  return muted;
}

export function setMuted(value, { persist = true } = {}) {
  muted = Boolean(value);
  if (persist) writePref('muted', muted ? '1' : '0');
  for (const video of document.querySelectorAll('video[data-testid="video"]')) video.muted = muted;
  for (const btn of document.querySelectorAll('[data-testid="sound-toggle"]')) paintSound(btn);
}

export function paintSound(btn) {
  btn.replaceChildren(icon(muted ? 'soundOff' : 'soundOn'));
  btn.setAttribute('aria-label', muted ? t('card.soundOn') : t('card.soundOff'));
  btn.setAttribute('aria-pressed', String(!muted));
  btn.dataset.muted = String(muted);
}
