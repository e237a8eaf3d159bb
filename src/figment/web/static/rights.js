// Rights portal: apply as a rights holder; once approved, register works (one by one or from CSV),
// switch their policy, add reference images, file takedowns and see refusal counts. Everyone sees
// takedowns against their own clips here and may answer with a counter-notice.

import { h, icon, toast, spinner, setTitle, timeAgo, errorState, confirmDialog } from './ui.js';
import { t } from './i18n.js';
import { api, get, post, del, enc, upload, isAbort, ApiError } from './api.js';

const KINDS = ['character', 'franchise', 'brand', 'song', 'person', 'estate'];
const POLICIES = ['opt_out', 'licensed', 'allowed', 'catalogue'];

function field(label, control, hint = null) {
  return h('label', { class: 'field rights-field' }, h('span', { class: 'label' }, label), control,
    hint ? h('span', { class: 'field-hint' }, hint) : null);
}

function select(name, options, value, labelFor) {
  return h('div', { class: 'select-wrap' }, h('select', { name, class: 'select', testid: `select-${name}` },
    options.map((o) => h('option', { value: o, selected: o === value }, labelFor(o)))));
}

function errorBox() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'rights-error' });
}

function showError(box, err) {
  box.replaceChildren(icon('alert'), h('div', {}, h('p', { class: 'form-error-title' }, err.message)));
  box.hidden = false;
}

// "Topolino@it, Mickey" -> [{text, lang}]
export function parseAliases(text) {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const at = part.lastIndexOf('@');
    return at > 0 ? { text: part.slice(0, at).trim(), lang: part.slice(at + 1).trim() || null } : { text: part, lang: null };
  });
}

const aliasText = (aliases) => aliases.map((a) => (a.lang ? `${a.text}@${a.lang}` : a.text)).join(', ');

export function rightsView(ctx) {
  setTitle(t('rights.title'));
  const body = h('div', { class: 'page-body rights-body' }, spinner());
  const page = h('section', { class: 'page rights-view', testid: 'rights-page' },
    h('header', { class: 'page-header' },
      h('div', { class: 'page-title-row' }, h('h1', {}, t('rights.title'))),
      h('p', { class: 'page-sub' }, t('rights.subtitle'))),
    body);

  const load = async () => {
    body.replaceChildren(spinner());
    const parts = [];
    const contestId = ctx.query.get('contest');
    try {
      if (contestId) parts.push(await contestBox(contestId, ctx.signal));
      parts.push(await authorTakedowns(ctx.signal));
      let holder = null;
      try {
        holder = await get('/api/rights/holders/me', { signal: ctx.signal });
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      if (!holder) parts.push(applyForm(load));
      else if (holder.status !== 'approved') parts.push(pendingBox(holder));
      else parts.push(...await holderPortal(holder, ctx.signal, load));
      body.replaceChildren(...parts.filter(Boolean));
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(errorState({ error: err, onRetry: load }));
    }
  };
  load();
  return page;
}

async function contestBox(workId, signal) {
  try {
    const info = await get(`/api/rights/contest/${enc(workId)}`, { signal });
    return h('div', { class: 'rights-card rights-contest', testid: 'contest-box' },
      h('h2', { class: 'section-title' }, t('rights.contestTitle', { work: info.work })),
      h('p', {}, t('rights.contestText', { holder: info.holder })),
      h('p', {}, h('a', { href: `mailto:${info.contact}?subject=${enc(info.work)}` }, info.contact)));
  } catch (err) {
    if (isAbort(err)) throw err;
    return null;
  }
}

async function authorTakedowns(signal) {
  const data = await get('/api/rights/takedowns?scope=author', { signal });
  const items = (data && data.items) || [];
  if (!items.length) return null;
  return h('div', { class: 'rights-card', testid: 'my-clip-takedowns' },
    h('h2', { class: 'section-title' }, t('rights.againstMe')),
    items.map((td) => {
      const box = errorBox();
      const text = h('textarea', { class: 'input', rows: 2, testid: 'counter-text', placeholder: t('rights.counterHint') });
      const canCounter = td.status === 'open';
      return h('div', { class: 'rights-row', testid: 'author-takedown' },
        h('p', {}, h('strong', {}, td.work.title), ' · ', td.holder, ' · ', statusChip(td.status)),
        h('p', { class: 'muted' }, td.statement),
        td.video_id ? h('p', {}, h('a', { href: `/v/${enc(td.video_id)}` }, t('rights.viewClip'))) : null,
        canCounter ? h('form', {
          class: 'rights-inline-form',
          onsubmit: async (event) => {
            event.preventDefault();
            try {
              await post(`/api/rights/takedowns/${enc(td.id)}/counter`, { statement: text.value });
              toast(t('rights.counterSent'), { kind: 'success' });
              event.target.replaceWith(h('p', { class: 'muted' }, t('rights.counterSent')));
            } catch (err) { showError(box, err); }
          },
        }, text, box, h('button', { type: 'submit', class: 'btn primary', testid: 'counter-submit' }, t('rights.counter'))) : null,
        td.counter_statement ? h('p', {}, t('rights.yourCounter'), ' ', td.counter_statement) : null);
    }));
}

function statusChip(status) {
  return h('span', { class: `status-badge rights-status-${status}`, testid: 'takedown-status' }, t(`rights.status.${status}`));
}

function applyForm(reload) {
  const box = errorBox();
  const organisation = h('input', { class: 'input', name: 'organisation', required: true, testid: 'apply-organisation' });
  const contact = h('input', { class: 'input', name: 'contact', required: true, testid: 'apply-contact' });
  const statement = h('textarea', { class: 'input', name: 'statement', rows: 3, testid: 'apply-statement' });
  return h('form', {
    class: 'rights-card create-form', testid: 'apply-form',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await post('/api/rights/holders', { organisation: organisation.value, contact: contact.value, statement: statement.value });
        toast(t('rights.applied'), { kind: 'success' });
        reload();
      } catch (err) { showError(box, err); }
    },
  },
  h('h2', { class: 'section-title' }, t('rights.applyTitle')),
  h('p', { class: 'muted' }, t('rights.applyText')),
  field(t('rights.organisation'), organisation),
  field(t('rights.contact'), contact),
  field(t('rights.statement'), statement, t('rights.statementHint')),
  box,
  h('button', { type: 'submit', class: 'btn primary', testid: 'apply-submit' }, t('rights.apply')));
}

function pendingBox(holder) {
  return h('div', { class: 'rights-card', testid: 'holder-pending' },
    h('h2', { class: 'section-title' }, holder.organisation),
    h('p', {}, statusChip(holder.status)),
    h('p', { class: 'muted' }, t(holder.status === 'rejected' ? 'rights.rejectedText' : 'rights.pendingText')));
}

async function holderPortal(holder, signal, reload) {
  const [works, takedowns] = await Promise.all([
    get('/api/rights/works', { signal }),
    get('/api/rights/takedowns?scope=holder', { signal }),
  ]);
  return [
    h('div', { class: 'rights-card', testid: 'holder-approved' },
      h('h2', { class: 'section-title' }, holder.organisation),
      h('p', { class: 'muted' }, t(works.mode === 'opt_in' ? 'rights.modeOptIn' : 'rights.modeOptOut'))),
    workForm(reload),
    importForm(reload),
    worksList(works.items, reload),
    takedownSection(works.items, takedowns.items, reload),
  ];
}

function workForm(reload) {
  const box = errorBox();
  const title = h('input', { class: 'input', name: 'title', testid: 'work-title' });
  const aliases = h('input', { class: 'input', name: 'aliases', testid: 'work-aliases', placeholder: 'Topolino@it, Mickey' });
  const description = h('textarea', { class: 'input', name: 'description', rows: 2, testid: 'work-description' });
  const kind = select('kind', KINDS, 'character', (k) => t(`rights.kind.${k}`));
  const policy = select('policy', POLICIES, 'opt_out', (p) => t(`rights.policy.${p}`));
  return h('form', {
    class: 'rights-card create-form', testid: 'work-form',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await post('/api/rights/works', {
          title: title.value, aliases: parseAliases(aliases.value), description: description.value,
          kind: kind.querySelector('select').value, policy: policy.querySelector('select').value,
        });
        toast(t('rights.workAdded', { title: title.value }), { kind: 'success' });
        reload();
      } catch (err) { showError(box, err); }
    },
  },
  h('h2', { class: 'section-title' }, t('rights.addWork')),
  field(t('rights.workTitle'), title),
  field(t('rights.aliases'), aliases, t('rights.aliasesHint')),
  h('div', { class: 'rights-two' }, field(t('rights.kindLabel'), kind), field(t('rights.policyLabel'), policy)),
  field(t('rights.description'), description, t('rights.descriptionHint')),
  box,
  h('button', { type: 'submit', class: 'btn primary', testid: 'work-submit' }, icon('plus'), t('rights.addWork')));
}

// Polls GET /api/rights/imports/{id} until the import job is done (its ImportOut) or failed (throws
// its reason): an import takes well under a second of a worker's time once it is picked up.
async function importResult(job) {
  let wait = 300;
  for (;;) {
    if (job.state === 'done') return job.result;
    if (job.state === 'failed') throw new Error(job.error || t('error.generic'));
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 2000);
    job = await get(`/api/rights/imports/${enc(job.id)}`);
  }
}

function importForm(reload) {
  const box = errorBox();
  const result = h('div', { testid: 'import-result' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', class: 'input', testid: 'import-file' });
  return h('form', {
    class: 'rights-card create-form', testid: 'import-form',
    onsubmit: async (event) => {
      event.preventDefault();
      box.hidden = true;
      if (!file.files.length) return;
      const data = new FormData();
      data.append('file', file.files[0]);
      const submit = event.target.querySelector('[data-testid="import-submit"]');
      submit.disabled = true;
      result.replaceChildren(h('div', { class: 'lk-busy', testid: 'import-running' }, spinner(), h('p', {}, t('rights.importing'))));
      try {
        // 202: the file was checked and queued; a worker imports it (all its good rows, or none).
        const job = await upload('/api/rights/works/import', data);
        const out = await importResult(job);
        result.replaceChildren(
          h('p', {}, t('rights.imported', { count: out.created })),
          out.errors.length ? h('ul', { class: 'rights-errors', testid: 'import-errors' },
            out.errors.map((e) => h('li', {}, t('rights.importLine', { line: e.line }), ' ', e.title ? `“${e.title}”: ` : '', e.message))) : null);
        if (out.created) setTimeout(reload, out.errors.length ? 4000 : 800);
      } catch (err) {
        result.replaceChildren();
        showError(box, err);
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('h2', { class: 'section-title' }, t('rights.importTitle')),
  h('p', { class: 'muted' }, t('rights.importText')),
  file, box, result,
  h('button', { type: 'submit', class: 'btn', testid: 'import-submit' }, t('rights.import')));
}

function worksList(items, reload) {
  return h('div', { class: 'rights-card', testid: 'works-list' },
    h('h2', { class: 'section-title' }, t('rights.works', { count: items.length })),
    items.length ? items.map((w) => workRow(w, reload)) : h('p', { class: 'muted' }, t('rights.noWorks')));
}

function workRow(work, reload) {
  const stats = h('div', { class: 'rights-stats', hidden: true, testid: 'work-stats' });
  const policy = select('policy', POLICIES, work.policy, (p) => t(`rights.policy.${p}`));
  policy.querySelector('select').addEventListener('change', async (event) => {
    try {
      const next = await api(`/api/rights/works/${enc(work.id)}`, { method: 'PATCH', body: { policy: event.target.value } });
      toast(t('rights.policyChanged', { title: work.title, policy: t(`rights.policy.${next.policy}`) }), { kind: 'success' });
      reload();
    } catch (err) { toast(err.message, { kind: 'error' }); }
  });
  const image = h('input', { type: 'file', accept: 'image/*', class: 'visually-hidden', testid: 'image-file' });
  image.addEventListener('change', async () => {
    if (!image.files.length) return;
    const data = new FormData();
    data.append('file', image.files[0]);
    try {
      await upload(`/api/rights/works/${enc(work.id)}/images`, data);
      toast(t('rights.imageAdded'), { kind: 'success' });
      reload();
    } catch (err) { toast(err.message, { kind: 'error' }); }
  });
  const showStats = async () => {
    if (!stats.hidden) { stats.hidden = true; return; }
    try {
      const data = await get(`/api/rights/works/${enc(work.id)}/stats`);
      const days = data.refusals.by_day;
      stats.replaceChildren(
        h('p', {}, t('rights.refusedTotal', { count: data.refusals.total })),
        days.length ? h('ul', { class: 'rights-days' }, days.map((d) => h('li', {}, `${d.date}: ${d.count}`))) : null,
        data.takedowns.length ? h('ul', {}, data.takedowns.map((td) => h('li', {}, statusChip(td.status), ' ', td.statement))) : null);
      stats.hidden = false;
    } catch (err) { toast(err.message, { kind: 'error' }); }
  };
  const remove = async () => {
    const ok = await confirmDialog({ title: t('rights.deleteTitle', { title: work.title }), message: t('rights.deleteText'), confirmLabel: t('rights.delete'), danger: true });
    if (!ok) return;
    try { await del(`/api/rights/works/${enc(work.id)}`); reload(); } catch (err) { toast(err.message, { kind: 'error' }); }
  };
  return h('div', { class: 'rights-row', testid: 'work-row', dataset: { workId: work.id } },
    h('div', { class: 'rights-row-head' },
      h('div', {},
        h('strong', { testid: 'work-row-title' }, work.title), ' ',
        h('span', { class: 'muted' }, t(`rights.kind.${work.kind}`)),
        work.aliases.length ? h('p', { class: 'muted' }, aliasText(work.aliases)) : null),
      policy),
    h('p', { class: 'rights-counts' },
      h('span', { class: `status-badge rights-screen-${work.screening}`, testid: 'work-screening' }, t(`rights.screening.${work.screening}`)),
      h('span', { testid: 'work-refusals' }, t('rights.refusals', { count: work.refusals })),
      work.last_refused_at ? h('span', { class: 'muted' }, t('rights.lastRefused', { when: timeAgo(work.last_refused_at) })) : null,
      h('span', {}, t('rights.takedownCount', { count: work.takedowns })),
      h('span', {}, t('rights.images', { count: work.images.length }))),
    h('div', { class: 'rights-actions' },
      h('label', { class: 'btn small' }, icon('plus'), t('rights.addImage'), image),
      h('button', { type: 'button', class: 'btn small', onclick: showStats, testid: 'work-stats-button' }, t('rights.stats')),
      h('button', { type: 'button', class: 'btn small danger-text', onclick: remove }, icon('trash'), t('rights.delete'))),
    stats);
}

function takedownSection(works, takedowns, reload) {
  const box = errorBox();
  const clip = h('input', { class: 'input', name: 'video', testid: 'takedown-video', placeholder: t('rights.clipHint') });
  const statement = h('textarea', { class: 'input', rows: 2, testid: 'takedown-statement' });
  const work = select('work', works.map((w) => w.id), works[0] && works[0].id, (id) => works.find((w) => w.id === id).title);
  const form = works.length ? h('form', {
    class: 'create-form', testid: 'takedown-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const match = clip.value.trim().match(/([0-9a-f]{32})/i);
      try {
        await post('/api/rights/takedowns', { video_id: match ? match[1] : clip.value.trim(), work_id: work.querySelector('select').value, statement: statement.value });
        toast(t('rights.takedownFiled'), { kind: 'success' });
        reload();
      } catch (err) { showError(box, err); }
    },
  },
  field(t('rights.clip'), clip),
  field(t('rights.work'), work),
  field(t('rights.takedownStatement'), statement),
  box,
  h('button', { type: 'submit', class: 'btn primary', testid: 'takedown-submit' }, t('rights.fileTakedown'))) : null;
  return h('div', { class: 'rights-card', testid: 'takedowns' },
    h('h2', { class: 'section-title' }, t('rights.takedowns')),
    form,
    takedowns.length ? takedowns.map((td) => h('div', { class: 'rights-row', testid: 'holder-takedown' },
      h('p', {}, h('strong', {}, td.work.title), ' · @', td.author || '?', ' · ', statusChip(td.status), ' ',
        h('span', { class: 'muted' }, timeAgo(td.created_at))),
      td.counter_statement ? h('p', {}, t('rights.counterFrom'), ' ', td.counter_statement) : null,
      td.resolution_note ? h('p', { class: 'muted' }, td.resolution_note) : null))
      : h('p', { class: 'muted' }, t('rights.noTakedowns')));
}
