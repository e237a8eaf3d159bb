// Likeness (/likeness): verify my face, say who may put it in clips and on what terms, see every clip
// with it (drafts too), read the hash-chained ledger of what happened to it, manage my characters,
// and delete it all. Everything the server says about a refusal is shown as it said it.

import { h, icon, toast, confirmDialog, spinner, setTitle, timeAgo, errorState } from './ui.js';
import { t, lang } from './i18n.js';
import { api, get, post, del, enc, upload, isAbort, ApiError } from './api.js';
import { isPending, statusLabel } from './jobs.js';

const PERMISSIONS = ['only_me', 'approved', 'mutuals', 'everyone'];

// The verifier takes at most 20 MB (likeness.liveness.MAX_BYTES); a larger file is refused before upload.
const MAX_RECORDING_BYTES = 20 * 1024 * 1024;
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

function errorBox(testid = 'likeness-error') {
  return h('div', { class: 'form-error', role: 'alert', hidden: true, testid });
}

function showError(box, err) {
  box.replaceChildren(icon('alert'), h('div', {}, h('p', { class: 'form-error-title' }, err && err.message ? err.message : t('error.generic'))));
  box.hidden = false;
}

function hideError(box) {
  box.hidden = true;
  box.replaceChildren();
}

function section(title, iconName, testid, ...children) {
  return h('section', { class: 'lk-card', testid },
    h('h2', { class: 'lk-title' }, icon(iconName), title), ...children);
}

function when(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function likenessView(ctx) {
  setTitle(t('likeness.title'));
  const body = h('div', { class: 'page-body lk-body' }, spinner());
  const page = h('section', { class: 'page likeness-view', testid: 'likeness-page' },
    h('header', { class: 'page-header' },
      h('div', { class: 'page-title-row' }, h('h1', {}, t('likeness.title'))),
      h('p', { class: 'page-sub' }, t('likeness.subtitle'))),
    body);

  // `notice` survives the reload it asks for (how many clips a purge removed).
  const load = async (notice = null) => {
    body.replaceChildren(spinner());
    let cameo;
    try {
      cameo = await get('/api/cameo', { signal: ctx.signal });
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
      return;
    }
    const ledger = ledgerSection(ctx.signal, cameo.handle);
    const appearances = appearancesSection(ctx.signal, cameo.handle, () => ledger.reload());
    body.replaceChildren(...[
      notice ? h('p', { class: 'lk-notice', role: 'status', testid: 'likeness-notice' }, icon('check'), h('span', {}, notice)) : null,
      statusSection(cameo, ctx.signal, () => load()),
      settingsSection(cameo, () => ledger.reload()),
      appearances,
      ledger,
      charactersSection(ctx.signal, () => ledger.reload()),
      dangerSection((message) => load(message)),
    ].filter(Boolean));
  };
  load();
  return page;
}

// ---- status and the verification flow ------------------------------------------------------------

function statusSection(cameo, signal, reload) {
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
  let stream = null;
  let recorder = null;
  let flow = null; // AbortController for the current attempt

  const stopCamera = () => {
    if (recorder && recorder.state !== 'inactive') { try { recorder.stop(); } catch { /* already stopped */ } }
    recorder = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  };
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
    root.replaceChildren(
      h('div', { class: 'lk-result', testid: 'verify-result', dataset: { status: outcome.status } },
        icon('alert'), h('p', {}, t('likeness.verify.rejected'))),
      h('ul', { class: 'lk-reasons', testid: 'verify-reasons' },
        reasons.map((r) => h('li', { testid: 'verify-reason', dataset: { code: r.code } }, r.message))),
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
      result(await upload(`/api/cameo/verification/${enc(attempt.id)}/recording`, data, { signal }));
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

  // --- the camera: preview, countdown, script, recording ---
  const cameraMode = async () => {
    stopCamera();
    const signal = newAttempt();
    const type = pickRecorderType();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || type === null) {
      failure(t('likeness.cam.unsupported'), { retry: false });
      return;
    }
    root.replaceChildren(h('div', { class: 'lk-busy' }, spinner(), h('p', {}, t('likeness.cam.asking'))));
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
        audio: { echoCancellation: true, noiseSuppression: false },
      });
    } catch (err) {
      failure(cameraErrorText(err));
      return;
    }
    if (signal.aborted) { stopCamera(); return; }
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
        stopCamera();
        const ext = (blob.type || type || '').includes('mp4') ? 'mp4' : 'webm';
        await send(attempt, blob, `recording.${ext}`, signal);
      } catch (err) {
        if (isAbort(err)) return;
        failure(t('likeness.rec.failed'));
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

  intro();
  return root;
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

// ---- who may use it --------------------------------------------------------------------------------

function settingsSection(initial, onSaved) {
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

// ---- clips with my likeness --------------------------------------------------------------------------

function stateLabel(video) {
  if (video.visibility === 'published') return t('status.published');
  if (video.status === 'ready') return t('likeness.state.draft');
  return statusLabel(video);
}

function appearancesSection(signal, myHandle, onChange) {
  const list = h('div', { class: 'lk-list' }, spinner());
  const box = errorBox('appearances-error');
  const el = section(t('likeness.appearancesTitle'), 'film', 'appearances',
    h('p', { class: 'muted' }, t('likeness.appearancesText')), box, list);

  const reload = async () => {
    try {
      const data = await get('/api/cameo/appearances', { signal });
      const items = (data && data.items) || [];
      list.replaceChildren(...(items.length ? items.map(row) : [h('p', { class: 'muted lk-empty', testid: 'appearances-empty' }, t('likeness.noAppearances'))]));
    } catch (err) {
      if (isAbort(err)) return;
      list.replaceChildren(errorState({ error: err, onRetry: reload }));
    }
  };

  const act = async (button, request, message) => {
    button.disabled = true;
    hideError(box);
    try {
      await request();
      toast(message, { kind: 'success' });
      await reload();
      onChange();
    } catch (err) {
      button.disabled = false;
      showError(box, err);
    }
  };

  const row = (item) => {
    const video = item.video;
    const href = `/v/${enc(video.id)}`;
    const ready = video.status === 'ready';
    const poster = ready && video.urls && video.urls.poster;
    const thumb = ready
      ? h('a', { class: `draft-thumb ${poster ? '' : 'placeholder'}`, href, 'aria-label': t('likeness.watch') },
        poster ? h('img', { src: poster, alt: '', loading: 'lazy' }) : null, h('span', { class: 'thumb-play' }, icon('play')))
      : h('div', { class: `draft-thumb ${isPending(video) ? 'pending' : 'failed'}` }, icon(isPending(video) ? 'clock' : 'alert'));
    const actions = h('div', { class: 'draft-actions lk-wrap' });
    if (ready) actions.appendChild(h('a', { class: 'btn small', href, testid: 'appearance-watch' }, icon('play'), t('likeness.watch')));
    if (item.approval === 'pending') {
      const yes = h('button', { type: 'button', class: 'btn primary small', testid: 'appearance-approve' }, icon('check'), t('likeness.approve'));
      const no = h('button', { type: 'button', class: 'btn small', testid: 'appearance-refuse' }, icon('close'), t('likeness.refuse'));
      yes.addEventListener('click', () => act(yes, () => post(`/api/cameo/appearances/${enc(video.id)}/approve`), t('likeness.approved')));
      no.addEventListener('click', () => act(no, () => post(`/api/cameo/appearances/${enc(video.id)}/refuse`), t('likeness.refused')));
      actions.append(yes, no);
    }
    const remove = h('button', { type: 'button', class: 'btn ghost small danger-text', testid: 'appearance-delete' }, icon('trash'), t('draft.delete'));
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: t('likeness.deleteClipTitle'), message: t('likeness.deleteClipText', { handle: item.author }),
        confirmLabel: t('draft.delete'), danger: true,
      });
      if (ok) act(remove, () => del(`/api/cameo/appearances/${enc(video.id)}`), t('draft.deleted'));
    });
    actions.appendChild(remove);
    const approval = item.approval && item.approval !== 'not_needed'
      ? h('span', { class: `status-badge lk-approval-${item.approval}`, testid: 'appearance-approval' }, t(`likeness.approval.${item.approval}`))
      : null;
    return h('article', {
      class: 'draft-card lk-appearance', testid: 'appearance',
      dataset: { videoId: video.id, visibility: video.visibility, approval: item.approval },
    },
    thumb,
    h('div', { class: 'draft-body' },
      h('div', { class: 'draft-head lk-wrap' },
        h('span', { class: `status-badge status-${video.visibility === 'published' ? 'published' : video.status}`, testid: 'appearance-state' }, stateLabel(video)),
        approval,
        h('span', { class: 'draft-time' }, timeAgo(video.created_at))),
      h('p', { class: 'lk-by', testid: 'appearance-author' }, t('likeness.by', { handle: item.author }),
        item.likeness && item.likeness !== myHandle ? h('span', { class: 'muted' }, ` · ${t('likeness.as', { handle: item.likeness })}`) : null),
      h('p', { class: 'draft-prompt' }, video.prompt)),
    actions);
  };

  reload();
  el.reload = reload;
  return el;
}

// ---- the ledger --------------------------------------------------------------------------------------

const LEDGER_SHOWN = 30;

function detailText(entry) {
  const d = entry.details || {};
  switch (entry.action) {
    case 'refused': return d.rule ? t('likeness.ledger.rule', { rule: d.rule }) : '';
    case 'approval': return d.decision ? t(`likeness.approval.${d.decision}`) : '';
    case 'blocked': return d.reason || '';
    case 'purge': return t('likeness.ledger.clipsRemoved', { count: d.clips_removed || 0 });
    case 'verified': return t('likeness.ledger.references', { count: d.references || 0 });
    case 'permission_change': {
      const parts = [];
      if (d.permission) parts.push(`${t(`likeness.permission.${d.permission.from}`)} → ${t(`likeness.permission.${d.permission.to}`)}`);
      if (d.approval_required) parts.push(t(d.approval_required.to ? 'likeness.ledger.approvalOn' : 'likeness.ledger.approvalOff'));
      if (d.restrictions) parts.push(t('likeness.ledger.restrictions'));
      if (d.approved && d.approved.added) parts.push(`+@${d.approved.added}`);
      if (d.approved && d.approved.removed) parts.push(`−@${d.approved.removed}`);
      return parts.join(' · ');
    }
    default: return '';
  }
}

function actionLabel(action) {
  const key = `likeness.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

function ledgerSection(signal, myHandle) {
  const chain = h('p', { class: 'lk-chain', testid: 'ledger-chain' });
  const table = h('div', { class: 'lk-table-wrap' }, spinner());
  const more = h('button', { type: 'button', class: 'btn ghost small', hidden: true, testid: 'ledger-more' });
  const download = h('a', {
    class: 'btn small', href: '/api/cameo/ledger?download=true', download: true, testid: 'ledger-download',
  }, icon('download'), t('likeness.ledger.download'));
  const el = section(t('likeness.ledger.title'), 'link', 'ledger',
    h('p', { class: 'muted' }, t('likeness.ledger.text')),
    h('div', { class: 'lk-chain-row' }, chain, download),
    table, more);
  let showAll = false;

  const paint = (data) => {
    const c = data.chain || {};
    chain.dataset.intact = String(Boolean(c.intact));
    chain.className = `lk-chain ${c.intact ? 'ok' : 'broken'}`;
    chain.replaceChildren(icon(c.intact ? 'check' : 'alert'),
      h('span', {}, c.intact ? t('likeness.ledger.intact', { count: c.length || 0 }) : t('likeness.ledger.broken', { seq: c.broken_at })));
    const entries = [...(data.entries || [])].reverse(); // newest first
    if (!entries.length) {
      table.replaceChildren(h('p', { class: 'muted lk-empty' }, t('likeness.ledger.empty')));
      more.hidden = true;
      return;
    }
    const shown = showAll ? entries : entries.slice(0, LEDGER_SHOWN);
    table.replaceChildren(h('table', { class: 'lk-table', testid: 'ledger-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '#'),
        h('th', { scope: 'col' }, t('likeness.ledger.when')),
        h('th', { scope: 'col' }, t('likeness.ledger.what')),
        h('th', { scope: 'col' }, t('likeness.ledger.who')),
        h('th', { scope: 'col' }, t('likeness.ledger.clip')))),
      h('tbody', {}, shown.map((e) => {
        const broken = !c.intact && c.broken_at != null && e.seq >= c.broken_at;
        const detail = detailText(e);
        return h('tr', { testid: 'ledger-entry', class: broken ? 'broken' : '', dataset: { seq: String(e.seq), action: e.action } },
          h('td', { class: 'lk-seq' }, String(e.seq)),
          h('td', { class: 'lk-nowrap', title: when(e.at) }, timeAgo(e.at)),
          h('td', {}, h('span', { class: 'lk-action' }, actionLabel(e.action)),
            e.likeness && e.likeness !== myHandle ? h('span', { class: 'muted' }, ` @${e.likeness}`) : null,
            detail ? h('small', { class: 'lk-detail' }, detail) : null),
          h('td', { class: 'lk-nowrap' }, e.actor ? `@${e.actor}` : '–'),
          h('td', { class: 'lk-nowrap' }, e.video_id ? h('a', { href: `/v/${enc(e.video_id)}`, class: 'lk-clip' }, e.video_id.slice(0, 6)) : '–'));
      }))));
    more.hidden = showAll || entries.length <= LEDGER_SHOWN;
    more.textContent = t('likeness.ledger.showAll', { count: entries.length });
  };
  let last = null;
  more.addEventListener('click', () => { showAll = true; if (last) paint(last); });

  const reload = async () => {
    try {
      last = await get('/api/cameo/ledger', { signal });
      paint(last);
    } catch (err) {
      if (isAbort(err)) return;
      table.replaceChildren(errorState({ error: err, onRetry: reload }));
    }
  };
  reload();
  el.reload = reload;
  return el;
}

// ---- characters --------------------------------------------------------------------------------------

const options = (values, labelFor) => values.map((o) => h('option', { value: o }, labelFor(o)));

function select(values, value, labelFor, props = {}) {
  const el = h('select', { class: 'select', ...props }, options(values, labelFor));
  el.value = value;
  return h('div', { class: 'select-wrap' }, el);
}

const lookLabel = (look) => (look ? look.replace(/_/g, ' ') : t('likeness.char.lookAuto'));

function charactersSection(signal, onChange) {
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

// ---- delete it all ---------------------------------------------------------------------------------

function dangerSection(reload) {
  const box = errorBox('purge-error');
  const button = h('button', { type: 'button', class: 'btn danger', testid: 'purge-button' }, icon('trash'), t('likeness.purge'));
  button.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: t('likeness.purgeTitle'), message: t('likeness.purgeText'), confirmLabel: t('likeness.purgeConfirm'), danger: true });
    if (!ok) return;
    button.disabled = true;
    hideError(box);
    try {
      const res = await del('/api/cameo');
      await reload(t('likeness.purged', { count: (res && res.clips_removed) || 0 }));
    } catch (err) {
      button.disabled = false;
      showError(box, err);
    }
  });
  return h('section', { class: 'lk-card lk-danger', testid: 'danger-zone' },
    h('h2', { class: 'lk-title' }, icon('alert'), t('likeness.dangerTitle')),
    h('p', { class: 'muted' }, t('likeness.purgeHint')),
    box, button);
}
