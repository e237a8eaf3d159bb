// The camera half of verification: ask for the camera, show a mirrored preview, count down, then
// record while the on-screen script (digits to read, head turns) plays, and hand the recording back.

import { h, spinner } from './ui.js';
import { t } from './i18n.js';
import { isAbort } from './api.js';

const RECORDER_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];
// The on-screen script, in milliseconds: about 8 s in all with three head turns.
const COUNTDOWN_FROM = 3;
const DIGITS_MS = 2200;
const LOOK_MS = 500;
const TURN_MS = 1400;

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal && signal.aborted) { reject(new DOMException('aborted', 'AbortError')); return; }
  const timer = setTimeout(resolve, ms);
  if (signal) signal.addEventListener('abort', () => { clearTimeout(timer); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
});

export function recordingScript(challenge) {
  const steps = [{ kind: 'digits', ms: DIGITS_MS, digits: String(challenge.digits).split('').join(' ') }];
  for (const turn of challenge.head_turns) {
    steps.push({ kind: 'look', ms: LOOK_MS });
    steps.push({ kind: 'turn', ms: TURN_MS, turn });
  }
  steps.push({ kind: 'look', ms: LOOK_MS });
  return steps;
}

function turnText(turn) {
  const key = `likeness.rec.turn.${turn}`;
  const text = t(key);
  return text === key ? t('likeness.rec.turnOther', { turn }) : text;
}

const ARROWS = { left: '←', right: '→', up: '↑', down: '↓' };

function pickRecorderType() {
  if (typeof MediaRecorder === 'undefined') return null;
  for (const type of RECORDER_TYPES) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return '';
}

function cameraErrorText(err) {
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return t('likeness.cam.denied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return t('likeness.cam.none');
  if (name === 'NotReadableError' || name === 'TrackStartError') return t('likeness.cam.busy');
  return t('likeness.cam.failed');
}

function scriptLine(step) {
  if (step.kind === 'digits') {
    return h('div', { class: 'lk-line digits' },
      h('span', { class: 'lk-line-label' }, t('likeness.rec.read')),
      h('span', { class: 'lk-digits', testid: 'verify-digits' }, step.digits));
  }
  if (step.kind === 'turn') {
    return h('div', { class: 'lk-line turn', dataset: { turn: step.turn } },
      h('span', { class: 'lk-arrow', 'aria-hidden': 'true' }, ARROWS[step.turn] || '•'),
      h('span', {}, turnText(step.turn)));
  }
  return h('div', { class: 'lk-line look' }, h('span', {}, t('likeness.rec.look')));
}

// One camera for one verification flow. `show` fills `root`: `challenge(signal)` fetches the
// challenge when recording starts (null: it failed and said so), `onRecorded(attempt, blob, name)`
// sends the recording, `onFailure(message, { retry })` shows why it cannot go on, `cancelButton()`
// is the flow's own cancel button.
export function camera() {
  let stream = null;
  let recorder = null;

  // Releases the camera, and a recording in progress, whatever step the flow is at.
  const stop = () => {
    if (recorder && recorder.state !== 'inactive') { try { recorder.stop(); } catch { /* already stopped */ } }
    recorder = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  };

  const show = async (root, { signal, challenge, onRecorded, onFailure, cancelButton }) => {
    const type = pickRecorderType();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || type === null) {
      onFailure(t('likeness.cam.unsupported'), { retry: false });
      return;
    }
    root.replaceChildren(h('div', { class: 'lk-busy' }, spinner(), h('p', {}, t('likeness.cam.asking'))));
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
        audio: { echoCancellation: true, noiseSuppression: false },
      });
    } catch (err) {
      onFailure(cameraErrorText(err));
      return;
    }
    if (signal.aborted) { stop(); return; }
    // The preview is mirrored like a mirror; the recording is the camera's own, unmirrored picture.
    const preview = h('video', { class: 'lk-preview', testid: 'verify-preview', playsinline: true, autoplay: true, 'aria-label': t('likeness.cam.preview') });
    preview.muted = true;
    preview.srcObject = stream;
    preview.play().catch(() => {});
    const overlay = h('div', { class: 'lk-overlay', testid: 'verify-script', 'aria-live': 'assertive' });
    const rec = h('span', { class: 'lk-rec', hidden: true }, t('likeness.rec.recording'));
    const bar = h('div', { class: 'progress lk-progress', hidden: true }, h('div', { class: 'progress-fill' }));
    const startRec = h('button', { type: 'button', class: 'btn primary', testid: 'verify-record' }, t('likeness.rec.start'));
    const actions = h('div', { class: 'lk-actions' }, startRec, cancelButton());
    root.replaceChildren(
      h('div', { class: 'lk-stage' }, preview, overlay, rec),
      bar,
      h('p', { class: 'muted' }, t('likeness.rec.ready')),
      actions);
    startRec.addEventListener('click', async () => {
      startRec.disabled = true;
      const attempt = await challenge(signal);
      if (!attempt) return;
      actions.replaceChildren(cancelButton());
      try {
        const blob = await record(attempt, { type, overlay, rec, bar, signal });
        stop();
        const ext = (blob.type || type || '').includes('mp4') ? 'mp4' : 'webm';
        await onRecorded(attempt, blob, `recording.${ext}`);
      } catch (err) {
        if (isAbort(err)) return;
        onFailure(t('likeness.rec.failed'));
      }
    });
  };

  const record = async (attempt, { type, overlay, rec, bar, signal }) => {
    for (let n = COUNTDOWN_FROM; n > 0; n -= 1) {
      overlay.replaceChildren(h('span', { class: 'lk-count', testid: 'verify-countdown' }, String(n)));
      await sleep(1000, signal);
    }
    const options = { videoBitsPerSecond: 1_200_000, audioBitsPerSecond: 64_000 };
    if (type) options.mimeType = type;
    recorder = new MediaRecorder(stream, options);
    const chunks = [];
    recorder.addEventListener('dataavailable', (event) => { if (event.data && event.data.size) chunks.push(event.data); });
    const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
    const steps = recordingScript(attempt.challenge);
    const total = steps.reduce((sum, s) => sum + s.ms, 0);
    recorder.start(250);
    rec.hidden = false;
    bar.hidden = false;
    let elapsed = 0;
    for (const step of steps) {
      overlay.replaceChildren(scriptLine(step));
      overlay.dataset.step = step.kind;
      bar.firstChild.style.width = `${Math.round((elapsed / total) * 100)}%`;
      await sleep(step.ms, signal);
      elapsed += step.ms;
    }
    bar.firstChild.style.width = '100%';
    overlay.replaceChildren();
    rec.hidden = true;
    const mime = recorder.mimeType || type || 'video/webm';
    recorder.stop();
    await stopped;
    recorder = null;
    return new Blob(chunks, { type: mime });
  };

  return { show, stop };
}
