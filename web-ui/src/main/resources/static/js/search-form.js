// The form that submits a search (POST /api/searches). The API validates; its problem details'
// errors [{field, message}] are shown next to the field they name (aria-invalid + aria-describedby),
// and any error without a matching field goes to the summary at the top of the form.
import { api, ApiError } from './api.js';
import { h, announce, fill, add } from './dom.js';

const METRICS = ['latency', 'bytes', 'bops'];
const METRIC_LABELS = { penalty: 'penalty', latency: 'latency', bytes: 'memory (bytes)', bops: 'BOPs' };
// Engines named in DESIGN.md section 7; the service says which exist when another is asked for.
const ENGINES = ['exact-front', 'ilp', 'bounds', 'local-search', 'evolutionary'];

let counter = 0;

/** A labelled control with its error slot. `field` is the API field name it stands for. */
function control(id, label, input, { field, hint } = {}) {
  input.id = id;
  if (field) input.dataset.field = field;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'control' },
    h('label', { for: id }, label),
    input,
    hintEl,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

function numberInput(attrs = {}) {
  return h('input', { type: 'number', inputmode: 'decimal', step: 'any', ...attrs });
}

export function searchForm(ctx, { networks, devices, preset = {} }) {
  const p = `sf${++counter}-`;
  const network = h('select', { required: true },
    h('option', { value: '' }, networks.length ? 'Choose a network…' : 'No networks yet'),
    networks.map((n) => h('option', { value: n.id }, `${n.name} (#${n.id}, ${n.layers} layers)`)));
  const profile = h('select', { required: true }, h('option', { value: '' }, 'Choose a network first'));
  const device = h('select', { required: true });
  const minimize = h('select', {}, ['penalty', ...METRICS].map((m) => h('option', { value: m }, METRIC_LABELS[m])));
  const front = h('select', {},
    METRICS.map((m) => h('option', { value: m }, METRIC_LABELS[m])),
    h('option', { value: '' }, 'none: one configuration under the budgets'));
  const budgetRows = METRICS.map((m) => h('tr', {},
    h('th', { scope: 'row' }, METRIC_LABELS[m]),
    h('td', {}, control(`${p}budget-${m}`, `Budget for ${METRIC_LABELS[m]}`, numberInput({ min: 0 }), { field: `budgets.${m}` })),
    h('td', {}, control(`${p}relative-${m}`, `Relative budget for ${METRIC_LABELS[m]}`, numberInput({ min: 0, max: 1 }), { field: `relativeBudgets.${m}` }))));
  const engineList = h('datalist', { id: `${p}engines` }, ENGINES.map((e) => h('option', { value: e })));
  const engine = h('input', { type: 'text', list: engineList.id, autocomplete: 'off', placeholder: 'best exact engine' });
  const more = h('details', { class: 'more-options' },
    h('summary', {}, 'More options'),
    h('div', { class: 'grid-2' },
      control(`${p}front-points`, 'Front points', numberInput({ min: 1, step: 1, placeholder: '10000' }), { field: 'frontPoints', hint: 'The complete front up to this many points, else this many budget points.' }),
      control(`${p}engine`, 'Engine', engine, { field: 'engine' }),
      control(`${p}seed`, 'Seed', numberInput({ step: 1, placeholder: '0' }), { field: 'seed' }),
      control(`${p}time-limit`, 'Time limit (s)', numberInput({ min: 0, placeholder: '60' }), { field: 'timeLimitSeconds' }),
      control(`${p}threads`, 'Threads', numberInput({ min: 1, step: 1, placeholder: 'all cores' }), { field: 'threads' })),
    engineList);
  const summary = h('div', { class: 'form-summary', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit search');
  const form = h('form', { class: 'search-form', novalidate: true, 'aria-label': 'New search' },
    summary,
    control(`${p}network`, 'Network', network, { field: 'networkId' }),
    control(`${p}profile`, 'Sensitivity profile', profile, { field: 'profileId' }),
    control(`${p}device`, 'Device', device, { field: 'deviceId', hint: 'The device\'s cost table for the network gives latency, bytes and BOPs.' }),
    h('div', { class: 'grid-2' },
      control(`${p}minimize`, 'Minimise', minimize, { field: 'minimize' }),
      control(`${p}front`, 'Front against', front, { field: 'front' })),
    h('fieldset', { class: 'budgets', dataset: { field: 'budgets' } },
      h('legend', {}, 'Budgets (optional)'),
      h('p', { class: 'hint' }, 'Absolute maximum totals, or relative: r between 0 and 1 of the way from the smallest to the largest total.'),
      h('div', { class: 'table-scroll' }, h('table', { class: 'budget-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col' }, 'Absolute'), h('th', { scope: 'col' }, 'Relative'))),
        h('tbody', {}, budgetRows)))),
    more,
    h('div', { class: 'actions' }, submit, h('span', { class: 'form-status', role: 'status' })));

  const fillDevices = (networkId) => {
    const current = device.value || preset.deviceId || '';
    fill(device, h('option', { value: '' }, devices.length ? 'Choose a device…' : 'No devices yet'),
      devices.map((d) => {
        const covered = networkId && (d.costTableNetworks || []).includes(Number(networkId));
        const note = networkId && !covered ? ' — no cost table for this network' : '';
        return h('option', { value: d.id }, `${d.name} (${d.kind}, #${d.id})${note}`);
      }));
    device.value = current;
  };
  const fillProfiles = async (networkId, wanted) => {
    profile.replaceChildren(h('option', { value: '' }, networkId ? 'Loading profiles…' : 'Choose a network first'));
    if (!networkId) return;
    try {
      const profiles = await api.profiles(networkId, ctx.signal);
      if (network.value !== String(networkId)) return;
      fill(profile, h('option', { value: '' }, profiles.length ? 'Choose a profile…' : 'This network has no profile yet'),
        profiles.map((pr) => h('option', { value: pr.id }, `${pr.name} (${pr.method}, #${pr.id})`)));
      const pick = wanted || (profiles.length === 1 ? String(profiles[0].id) : '');
      profile.value = pick;
    } catch (error) {
      if (error.name !== 'AbortError') profile.replaceChildren(h('option', { value: '' }, `Cannot load profiles: ${error.message}`));
    }
  };
  network.addEventListener('change', () => {
    fillDevices(network.value);
    fillProfiles(network.value);
  });
  network.value = preset.networkId || (networks.length === 1 ? String(networks[0].id) : '');
  fillDevices(network.value);
  if (network.value) fillProfiles(network.value, preset.profileId);

  const clearErrors = () => {
    summary.hidden = true;
    summary.replaceChildren();
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach((el) => { el.hidden = true; el.textContent = ''; });
    form.querySelectorAll('[data-field]').forEach((el) => {
      const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.endsWith('-error'));
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
    });
  };

  const inputFor = (field) => {
    const exact = form.querySelector(`[data-field="${CSS.escape(field)}"]:not(fieldset)`);
    if (exact) return exact;
    const candidates = [...form.querySelectorAll('[data-field]:not(fieldset)')]
      .filter((el) => field.startsWith(el.dataset.field + '.') || field.startsWith(el.dataset.field + '['))
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length);
    return candidates[0] || null;
  };

  const showErrors = (errors, detail) => {
    const unplaced = [];
    let first = null;
    for (const { field, message } of errors) {
      const input = field ? inputFor(field) : null;
      if (!input) { unplaced.push({ field, message }); continue; }
      const slot = document.getElementById(`${input.id}-error`);
      slot.hidden = false;
      add(slot, slot.textContent ? h('br') : null, message);
      input.setAttribute('aria-invalid', 'true');
      const ids = new Set((input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
      ids.add(slot.id);
      input.setAttribute('aria-describedby', [...ids].join(' '));
      if (input.closest('details')) input.closest('details').open = true;
      first = first || input;
    }
    summary.hidden = false;
    add(summary,
      h('p', { class: 'summary-title' }, 'The search was not submitted.'),
      detail && (unplaced.length || !errors.length) ? h('p', {}, detail) : null,
      unplaced.length ? h('ul', {}, unplaced.map((e) => h('li', {}, e.field ? h('code', {}, e.field) : null, e.field ? ': ' : '', e.message))) : null,
      errors.length - unplaced.length ? h('p', {}, `${errors.length - unplaced.length} field(s) need attention; see the messages below them.`) : null);
    if (first) {
      first.focus();
    } else {
      summary.setAttribute('tabindex', '-1');
      summary.focus();
    }
  };

  const number = (input, field, errors, integer = false) => {
    if (input.validity.badInput) {
      errors.push({ field, message: 'Enter a number.' });
      return undefined;
    }
    if (input.value === '') return undefined;
    const value = Number(input.value);
    if (integer && !Number.isInteger(value)) {
      errors.push({ field, message: `${input.value} is not a whole number.` });
      return undefined;
    }
    return value;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const local = [];
    const request = {
      networkId: network.value ? Number(network.value) : null,
      profileId: profile.value ? Number(profile.value) : null,
      deviceId: device.value ? Number(device.value) : null,
      minimize: minimize.value,
    };
    if (front.value) request.front = [front.value];
    const budgets = {};
    const relative = {};
    for (const m of METRICS) {
      const b = number(document.getElementById(`${p}budget-${m}`), `budgets.${m}`, local);
      const r = number(document.getElementById(`${p}relative-${m}`), `relativeBudgets.${m}`, local);
      if (b !== undefined) budgets[m] = b;
      if (r !== undefined) relative[m] = r;
    }
    if (Object.keys(budgets).length) request.budgets = budgets;
    if (Object.keys(relative).length) request.relativeBudgets = relative;
    const frontPoints = number(document.getElementById(`${p}front-points`), 'frontPoints', local, true);
    if (frontPoints !== undefined) request.frontPoints = frontPoints;
    if (engine.value.trim()) request.engine = engine.value.trim();
    const seed = number(document.getElementById(`${p}seed`), 'seed', local, true);
    if (seed !== undefined) request.seed = seed;
    const limit = number(document.getElementById(`${p}time-limit`), 'timeLimitSeconds', local);
    if (limit !== undefined) request.timeLimitSeconds = limit;
    const threads = number(document.getElementById(`${p}threads`), 'threads', local, true);
    if (threads !== undefined) request.threads = threads;
    if (local.length) {
      showErrors(local, null);
      return;
    }
    submit.disabled = true;
    const status = form.querySelector('.form-status');
    status.textContent = 'Submitting…';
    try {
      const response = await api.submitSearch(request);
      const id = response.body && response.body.id;
      status.textContent = `Search #${id} queued.`;
      announce(`Search ${id} queued`);
      if (ctx.active()) location.hash = `#/searches/${id}`;
    } catch (error) {
      status.textContent = '';
      if (error instanceof ApiError) showErrors(error.errors, error.message);
      else showErrors([], error.message);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
