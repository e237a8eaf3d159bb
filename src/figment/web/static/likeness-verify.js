// Verifying my face: the status card, and the flow that records (or takes a file) answering a fresh
// challenge and shows the verifier's verdict with every reason it gave.

import { h, icon, spinner, timeAgo } from './ui.js';
import { verifyReasonText } from './errors.js';
import { t } from './i18n.js';
import { get, post, enc, upload, isAbort, ApiError } from './api.js';
import { section } from './likeness-ui.js';
import { camera } from './likeness-camera.js';
import { onNotification } from './notifications.js';

// The verifier takes at most 20 MB (likeness.recording.MAX_BYTES); a larger file is refused before upload.
const MAX_RECORDING_BYTES = 20 * 1024 * 1024;
// While a worker checks the recording (status "checking"), the page asks again this often; the
// cameo_checked notification, when the live stream is open, asks at once.
const CHECK_POLL_MS = 1000;
const CHECK_GIVE_UP_MS = 3 * 60 * 1000;

// Waits for the verdict on an uploaded recording: polls GET /api/cameo/verification/{id}, woken early
// by the cameo_checked notification for this attempt. Resolves with the verdict, or null when aborted.
async function verdict(attemptId, signal) {
  let wake = () => {};
  const stop = onNotification((n) => {
    if (n && n.kind === 'cameo_checked' && n.subject && n.subject.id === attemptId) wake();
    return false;
  });
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort, { once: true });
  const started = Date.now();
  try {
    while (!signal.aborted) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, CHECK_POLL_MS);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      if (signal.aborted) return null;
      try {
        const outcome = await get(`/api/cameo/verification/${enc(attemptId)}`, { signal });
        if (outcome.status !== 'checking') return outcome;
      } catch (err) {
        // A dropped connection while waiting is asked again; a refusal (404: the account is gone) is not.
        if (isAbort(err) || (err instanceof ApiError && err.status < 500)) throw err;
      }
      if (Date.now() - started > CHECK_GIVE_UP_MS) throw new Error(t('likeness.verify.slow'));
    }
    return null;
  } finally {
    stop();
    signal.removeEventListener('abort', onAbort);
  }
}

export function statusSection(cameo, signal, reload) {
  const verified = Boolean(cameo.verified);
  const title = h('p', { class: 'lk-status-title' }, verified ? t('likeness.verified') : t('likeness.notVerified'));
  const text = h('p', { class: 'muted' }, verified
    ? t('likeness.verifiedText', { when: timeAgo(cameo.verified_at), count: cameo.references })
    : t('likeness.notVerifiedText'));
  const status = h('div', { class: `lk-status ${verified ? 'ok' : ''}`, testid: 'likeness-status', dataset: { verified: String(verified) } },
    h('span', { class: 'lk-status-icon' }, icon(verified ? 'check' : 'face')),
    h('div', {}, title, text));
  // The result of a passed verification shows at once in the status card, not only after "Done".
  const markVerified = () => {
    status.classList.add('ok');
    status.dataset.verified = 'true';
    title.textContent = t('likeness.verified');
    text.textContent = t('likeness.verify.ok');
  };
  const panel = h('div', { class: 'lk-verify', testid: 'verify-panel' });
  const start = h('button', { type: 'button', class: `btn ${verified ? 'ghost' : 'primary'}`, testid: 'verify-start' },
    icon('face'), verified ? t('likeness.verifyAgain') : t('likeness.verify'));
  start.addEventListener('click', () => {
    start.hidden = true;
    panel.replaceChildren(verifyFlow(signal, {
      onVerified: markVerified,
      onDone: (ok) => { if (ok) reload(); },
      onCancel: () => { panel.replaceChildren(); start.hidden = false; start.focus(); },
    }));
  });
  return section(t('likeness.faceTitle', { handle: cameo.handle }), 'face', 'likeness-status-card', status, start, panel);
}

function uploadErrorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 409 && err.details.reason === 'challenge_expired') return t('likeness.verify.expired');
    if (err.status === 409 && err.details.reason === 'challenge_used') return t('likeness.verify.used');
    if (err.status === 413) return t('likeness.verify.tooLarge');
  }
  return (err && err.message) || t('error.generic');
}

function challengeText(challenge) {
  const short = (turn) => {
    const key = `likeness.turnShort.${turn}`;
    return t(key) === key ? turn : t(key);
  };
  return t('likeness.verify.challenge', {
    digits: String(challenge.digits).split('').join(' '),
    turns: challenge.head_turns.map(short).join(', '),
  });
}

// The whole flow lives in one element: intro, camera, countdown, script, upload, result.
function verifyFlow(pageSignal, { onVerified, onDone, onCancel }) {
  const root = h('div', { class: 'lk-flow', testid: 'verify-flow', 'aria-live': 'polite' });
  let flow = null; // AbortController for the current attempt
  const cam = camera();
  const stopCamera = () => cam.stop();
  const newAttempt = () => {
    if (flow) flow.abort();
    flow = new AbortController();
    return flow.signal;
  };
  pageSignal.addEventListener('abort', () => { if (flow) flow.abort(); stopCamera(); }, { once: true });

  const cancel = () => {
    if (flow) flow.abort();
    stopCamera();
    onCancel();
  };
  const cancelButton = () => h('button', { type: 'button', class: 'btn ghost', testid: 'verify-cancel', onclick: cancel }, t('common.cancel'));
  const fileButton = () => h('button', { type: 'button', class: 'btn ghost', testid: 'verify-use-file', onclick: () => fileMode() }, icon('film'), t('likeness.verify.useFile'));

  const intro = () => {
    stopCamera();
    root.replaceChildren(
      h('h3', { class: 'lk-subtitle' }, t('likeness.verify.introTitle')),
      h('ul', { class: 'lk-points' },
        h('li', {}, t('likeness.verify.point1')),
        h('li', {}, t('likeness.verify.point2')),
        h('li', {}, t('likeness.verify.point3')),
        h('li', {}, t('likeness.verify.point4'))),
      h('div', { class: 'lk-actions' },
        h('button', { type: 'button', class: 'btn primary', testid: 'verify-use-camera', onclick: () => cameraMode() }, icon('face'), t('likeness.verify.useCamera')),
        fileButton(),
        cancelButton()));
  };

  const failure = (message, { retry = true } = {}) => {
    stopCamera();
    root.replaceChildren(
      h('div', { class: 'form-error', role: 'alert', testid: 'verify-error' }, icon('alert'), h('p', { class: 'form-error-title' }, message)),
      h('div', { class: 'lk-actions' },
        retry ? h('button', { type: 'button', class: 'btn primary', testid: 'verify-retry', onclick: () => cameraMode() }, icon('refresh'), t('common.retry')) : null,
        fileButton(),
        cancelButton()));
  };

  const result = (outcome) => {
    stopCamera();
    if (outcome.status === 'verified') {
      onVerified();
      root.replaceChildren(
        h('div', { class: 'lk-result ok', testid: 'verify-result', dataset: { status: 'verified' } },
          icon('check'), h('p', {}, t('likeness.verify.ok'))),
        h('div', { class: 'lk-actions' },
          h('button', { type: 'button', class: 'btn primary', testid: 'verify-done', onclick: () => onDone(true) }, t('likeness.verify.done'))));
      return;
    }
    const reasons = Array.isArray(outcome.reasons) ? outcome.reasons : [];
    const title = outcome.status === 'failed' ? t('likeness.verify.checkFailed') : t('likeness.verify.rejected');
    root.replaceChildren(
      h('div', { class: 'lk-result', testid: 'verify-result', dataset: { status: outcome.status } },
        icon('alert'), h('p', {}, title)),
      h('ul', { class: 'lk-reasons', testid: 'verify-reasons' },
        reasons.map((r) => h('li', { testid: 'verify-reason', dataset: { code: r.code } }, verifyReasonText(r)))),
      h('div', { class: 'lk-actions' },
        h('button', { type: 'button', class: 'btn primary', testid: 'verify-retry', onclick: () => cameraMode() }, icon('refresh'), t('common.retry')),
        fileButton(),
        cancelButton()));
  };

  const send = async (attempt, file, name, signal) => {
    if (file.size > MAX_RECORDING_BYTES) {
      failure(t('likeness.verify.tooLarge'));
      return;
    }
    root.replaceChildren(h('div', { class: 'lk-busy', testid: 'verify-checking' }, spinner(), h('p', {}, t('likeness.verify.checking'))));
    const data = new FormData();
    data.append('file', file, name);
    try {
      let outcome = await upload(`/api/cameo/verification/${enc(attempt.id)}/recording`, data, { signal });
      // 202 "checking": a worker judges it (a few seconds); a file that cannot be a recording is judged at once.
      if (outcome.status === 'checking') outcome = await verdict(attempt.id, signal);
      if (outcome) result(outcome);
    } catch (err) {
      if (isAbort(err)) return;
      failure(uploadErrorText(err));
    }
  };

  const challenge = async (signal) => {
    try {
      return await post('/api/cameo/verification', undefined, { signal });
    } catch (err) {
      if (!isAbort(err)) failure(err.message);
      return null;
    }
  };

  // --- a recording made elsewhere (or for people who cannot use the camera here) ---
  const fileMode = async () => {
    stopCamera();
    const signal = newAttempt();
    root.replaceChildren(spinner());
    const attempt = await challenge(signal);
    if (!attempt) return;
    const input = h('input', { type: 'file', accept: 'video/webm,video/mp4', class: 'input', testid: 'verify-file', id: 'verify-file' });
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      if (file) send(attempt, file, file.name || 'recording', signal);
    });
    root.replaceChildren(
      h('h3', { class: 'lk-subtitle' }, t('likeness.verify.fileTitle')),
      h('p', { class: 'lk-challenge', testid: 'verify-challenge' }, challengeText(attempt.challenge)),
      h('p', { class: 'muted' }, t('likeness.verify.fileText')),
      h('label', { class: 'label', for: 'verify-file' }, t('likeness.verify.fileLabel')),
      input,
      h('div', { class: 'lk-actions' },
        h('button', { type: 'button', class: 'btn ghost', testid: 'verify-use-camera', onclick: () => cameraMode() }, icon('face'), t('likeness.verify.useCamera')),
        cancelButton()));
  };

  // --- the camera: preview, countdown, script, recording (likeness-camera.js) ---
  const cameraMode = () => {
    stopCamera();
    const signal = newAttempt();
    cam.show(root, {
      signal,
      challenge,
      cancelButton,
      onFailure: failure,
      onRecorded: (attempt, blob, name) => send(attempt, blob, name, signal),
    });
  };

  intro();
  return root;
}
