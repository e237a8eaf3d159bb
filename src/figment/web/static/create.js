// Create: write a prompt, pick a length, watch it render, then publish or delete.

import { h, icon, toast, confirmDialog, setTitle } from './ui.js';
import { t } from './i18n.js';
import { get, post, del, enc, isAbort, ApiError } from './api.js';
import { loginUrl } from './session.js';
import { isPending, statusLabel, progressBar, paintProgress, pollVideo, percent } from './jobs.js';
import { queueLine, paintQueue } from './queue.js';
import { planSummary } from './plan.js';
import { attachMentions } from './mentions.js';
import { backendPicker } from './create-backends.js';
import { errorText, videoErrorText } from './errors.js';
import { LIMITS, lengthCounter, isTooLong } from './counter.js';

const DURATIONS = [5, 8, 10];
const EXAMPLES = [
  'a red car driving through a city at night in the rain',
  'un gatto che balla sulla spiaggia al tramonto',
  'a paper boat drifting down a mossy stream, macro shot',
  'una lanterna che galleggia su un lago al crepuscolo',
];

export function createView(ctx) {
  setTitle(t('create.title'));
  const query = ctx.query;
  let remixOf = query.get('remix_of');
  const remixFrom = query.get('from');
  const page = h('section', { class: 'page create-view' });
  const header = h('header', { class: 'page-header' },
    h('h1', {}, t('create.title')),
    h('p', { class: 'page-sub' }, t('create.subtitle')));

  // --- form ---
  const textarea = h('textarea', {
    id: 'prompt', name: 'prompt', class: 'input prompt-input', testid: 'prompt-input', rows: '5',
    placeholder: t('create.placeholder'), 'aria-describedby': 'prompt-error prompt-count',
    autocomplete: 'off', spellcheck: 'true', value: query.get('prompt') || '',
  });
  const mentions = attachMentions(textarea, { signal: ctx.signal });
  const counter = lengthCounter(textarea, LIMITS.prompt, { id: 'prompt-count', testid: 'prompt-counter' });
  const promptError = h('p', { class: 'field-error', id: 'prompt-error', testid: 'prompt-error' });
  const paintCounter = () => counter.paint();
  textarea.addEventListener('input', () => {
    promptError.textContent = '';
    if (!isTooLong(textarea, LIMITS.prompt)) textarea.removeAttribute('aria-invalid');
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const select = h('select', { id: 'duration', name: 'duration_s', class: 'select', testid: 'duration-select' },
    DURATIONS.map((s) => h('option', { value: String(s) }, t('create.seconds', { n: s }))));
  select.value = String(DURATIONS[0]);
  const durationError = h('p', { class: 'field-error', testid: 'duration-error' });

  // The lengths offered are the ones the chosen video model makes (a hosted model may stop at 8 s).
  const backend = backendPicker({
    signal: ctx.signal,
    onChange: (choice) => {
      const longest = choice.max_duration_s;
      const lengths = DURATIONS.filter((s) => s <= longest);
      if (!lengths.includes(longest) && longest < DURATIONS[DURATIONS.length - 1]) lengths.push(longest);
      const kept = Number(select.value);
      select.replaceChildren(...lengths.map((s) => h('option', { value: String(s) }, t('create.seconds', { n: s }))));
      select.value = String(lengths.includes(kept) ? kept : lengths[0]);
    },
  });

  const chips = h('div', { class: 'chips', role: 'list', 'aria-label': t('create.examples') },
    EXAMPLES.map((text) => h('button', {
      type: 'button', class: 'chip', role: 'listitem', testid: 'prompt-example',
      onclick: () => {
        textarea.value = text;
        textarea.dispatchEvent(new Event('input'));
        textarea.focus();
      },
    }, text)));

  const remixBox = h('div', { class: 'remix-banner', testid: 'remix-banner', hidden: !remixOf },
    icon('remix'),
    h('div', { class: 'remix-text' },
      h('strong', {}, remixFrom ? t('create.remixing', { handle: remixFrom }) : t('create.remixingClip')),
      h('span', {}, t('create.remixHint'))),
    h('button', {
      type: 'button', class: 'icon-button', 'aria-label': t('create.remixCancel'),
      onclick: () => { remixOf = null; remixBox.hidden = true; },
    }, icon('close')));

  const formError = h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary big block', testid: 'submit-prompt' }, icon('sparkle'), t('create.submit'));

  const form = h('form', { class: 'create-form', testid: 'create-form', novalidate: true },
    remixBox,
    h('div', { class: 'field' },
      h('label', { for: 'prompt', class: 'label' }, t('create.promptLabel')),
      h('div', { class: 'mention-wrap' }, textarea, mentions),
      h('div', { class: 'field-foot' }, promptError, counter),
      h('p', { class: 'field-hint' }, t('create.tagHint'))),
    h('div', { class: 'field' },
      h('span', { class: 'label', id: 'examples-label' }, t('create.examples')),
      chips),
    backend.element,
    h('div', { class: 'field inline' },
      h('label', { for: 'duration', class: 'label' }, icon('clock'), t('create.length')),
      h('div', { class: 'select-wrap' }, select),
      durationError),
    formError,
    submit);

  // The refusal in the reader's language, its rule said in words (errors.js; api.js builds err.message).
  const showFormError = (err) => {
    formError.replaceChildren(icon('alert'), h('div', {},
      h('p', { class: 'form-error-title', testid: 'form-error-text', dataset: { code: err.code || '' } }, errorText(err))));
    formError.hidden = false;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    promptError.textContent = '';
    durationError.textContent = '';
    formError.hidden = true;
    const prompt = textarea.value.trim();
    if (!prompt || prompt.length > LIMITS.prompt) {
      promptError.textContent = prompt ? t('counter.over', { count: prompt.length - LIMITS.prompt }) : t('create.promptRequired');
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
      return;
    }
    const body = { prompt, duration_s: Number(select.value) };
    if (remixOf) body.remix_of = remixOf;
    if (backend.value()) body.backend = backend.value();
    submit.disabled = true;
    submit.classList.add('busy');
    submit.replaceChildren(h('span', { class: 'spinner small', 'aria-hidden': 'true' }), t('create.submitting'));
    try {
      const video = await post('/api/videos', body, { signal: ctx.signal });
      showJob(video);
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 401) { ctx.navigate(loginUrl()); return; }
      const field = err.field;
      if (field === 'prompt') {
        promptError.textContent = errorText(err);
        textarea.setAttribute('aria-invalid', 'true');
        textarea.focus();
      } else if (field === 'duration_s') {
        durationError.textContent = errorText(err);
      } else if (field === 'backend') {
        backend.showError(errorText(err));
      } else {
        showFormError(err);
      }
    } finally {
      submit.disabled = false;
      submit.classList.remove('busy');
      submit.replaceChildren(icon('sparkle'), t('create.submit'));
    }
  });

  // --- job card ---
  const jobSlot = h('div', { class: 'job-slot' });
  let jobController = null;

  const backToForm = ({ keepPrompt = true } = {}) => {
    if (jobController) jobController.abort();
    jobController = null;
    jobSlot.replaceChildren();
    if (!keepPrompt) { textarea.value = ''; paintCounter(); }
    form.hidden = false;
    header.hidden = false;
    history.replaceState({}, '', '/create');
    textarea.focus();
  };

  function showJob(video) {
    form.hidden = true;
    header.hidden = true;
    history.replaceState({}, '', `/create?video=${enc(video.id)}`);
    if (jobController) jobController.abort();
    jobController = new AbortController();
    const signal = jobController.signal;
    ctx.signal.addEventListener('abort', () => jobController && jobController.abort(), { once: true });

    const stage = h('div', { class: 'job-stage' });
    const bar = progressBar(video);
    const status = h('p', { class: 'job-status', testid: 'job-status', 'aria-live': 'polite' });
    const place = queueLine(video);
    const error = h('p', { class: 'job-error', role: 'alert', testid: 'job-error', hidden: true });
    const actions = h('div', { class: 'job-actions' });
    const understood = h('div', { class: 'job-plan' });
    const job = h('article', { class: 'job', testid: 'job', dataset: { videoId: video.id, status: video.status } },
      h('p', { class: 'eyebrow' }, t('create.yourClip')),
      stage,
      h('p', { class: 'job-prompt' }, video.prompt),
      understood,
      bar, status, place, error, actions);
    jobSlot.replaceChildren(job);
    let stageState = '';

    const paint = (v) => {
      job.dataset.status = v.status;
      paintProgress(bar, v);
      status.textContent = statusLabel(v);
      paintQueue(place, v);
      bar.hidden = v.visibility === 'published';
      if (v.error && (v.status === 'failed' || v.status === 'blocked')) {
        error.textContent = videoErrorText(v);
        error.hidden = false;
      } else {
        error.hidden = true;
      }
      const key = `${v.status}:${v.visibility}`;
      if (key === stageState && isPending(v)) {
        const pct = stage.querySelector('.stage-percent');
        if (pct) pct.textContent = v.status === 'queued' ? '…' : `${percent(v)}%`;
        return;
      }
      stageState = key;
      paintStage(stage, v);
      understood.replaceChildren(...[v.status === 'ready' ? planSummary(v.plan) : null].filter(Boolean));
      actions.replaceChildren(...jobActions(v));
    };

    const jobActions = (v) => {
      const list = [];
      if (v.status === 'ready' && v.visibility !== 'published') {
        const publish = h('button', { type: 'button', class: 'btn primary', testid: 'publish-button' }, icon('check'), t('draft.publish'));
        publish.addEventListener('click', async () => {
          publish.disabled = true;
          try {
            const res = await post(`/api/videos/${enc(v.id)}/publish`);
            const next = res && res.id ? res : { ...v, visibility: 'published' };
            toast(t('draft.published'), { kind: 'success', action: { href: `/v/${enc(v.id)}`, label: t('common.view') } });
            paint(next);
          } catch (err) {
            publish.disabled = false;
            // e.g. waiting for the approval of someone in the clip: the reason stays on screen.
            error.textContent = errorText(err);
            error.hidden = false;
            toast(errorText(err), { kind: 'error' });
          }
        });
        list.push(publish);
      }
      if (v.visibility === 'published') {
        list.push(h('a', { class: 'btn primary', href: `/v/${enc(v.id)}`, testid: 'view-clip' }, icon('play'), t('create.viewClip')));
      } else {
        const remove = h('button', { type: 'button', class: 'btn ghost danger-text', testid: 'delete-button' }, icon('trash'), t('draft.delete'));
        remove.addEventListener('click', async () => {
          const ok = await confirmDialog({ title: t('draft.deleteTitle'), message: t('draft.deleteText'), confirmLabel: t('draft.delete'), danger: true });
          if (!ok) return;
          remove.disabled = true;
          try {
            await del(`/api/videos/${enc(v.id)}`);
            toast(t('draft.deleted'));
            backToForm();
          } catch (err) {
            remove.disabled = false;
            toast(errorText(err), { kind: 'error' });
          }
        });
        list.push(remove);
      }
      list.push(h('div', { class: 'job-links' },
        h('a', { class: 'btn ghost small', href: '/drafts', testid: 'open-drafts' }, icon('drafts'), t('create.openDrafts')),
        h('button', {
          type: 'button', class: 'btn ghost small', testid: 'new-prompt',
          onclick: () => backToForm({ keepPrompt: v.status === 'failed' || v.status === 'blocked' }),
        }, icon('plus'), v.status === 'failed' || v.status === 'blocked' ? t('create.tryAgain') : t('create.another'))));
      return list;
    };

    paint(video);
    if (isPending(video)) {
      pollVideo(video.id, {
        signal,
        onUpdate: (v) => {
          if (!v) {
            status.textContent = t('create.gone');
            return;
          }
          paint(v);
        },
      });
    }
  }

  page.append(header, form, jobSlot);

  const resume = query.get('video');
  if (resume) {
    form.hidden = true;
    header.hidden = true;
    jobSlot.appendChild(h('div', { class: 'job' }, h('div', { class: 'job-stage' }, h('div', { class: 'stage-pending' }, h('span', { class: 'spinner' })))));
    get(`/api/videos/${enc(resume)}`, { signal: ctx.signal })
      .then((video) => showJob(video))
      .catch((err) => { if (!isAbort(err)) backToForm(); });
  } else {
    requestAnimationFrame(() => {
      if (!ctx.signal.aborted && !matchMedia('(pointer: coarse)').matches) textarea.focus();
    });
  }
  return page;
}

function paintStage(stage, v) {
  if (v.status === 'ready' && v.urls && v.urls.video) {
    const video = h('video', {
      class: 'stage-video', testid: 'preview-video', src: v.urls.video, poster: v.urls.poster || null,
      playsinline: true, loop: true, autoplay: true, controls: true, preload: 'auto', 'aria-label': v.prompt,
    });
    video.muted = true;
    stage.replaceChildren(video);
    video.play().catch(() => {});
    return;
  }
  if (v.status === 'failed' || v.status === 'blocked') {
    stage.replaceChildren(h('div', { class: 'stage-pending failed' }, icon('alert'), h('p', {}, statusLabel(v))));
    return;
  }
  stage.replaceChildren(h('div', { class: `stage-pending ${v.status}` },
    h('div', { class: 'stage-glow', 'aria-hidden': 'true' }),
    h('span', { class: 'stage-percent', 'aria-hidden': 'true' }, v.status === 'queued' ? '…' : `${percent(v)}%`),
    h('p', { class: 'stage-note' }, v.status === 'queued' ? t('create.queuedNote') : t('create.renderingNote'))));
}
