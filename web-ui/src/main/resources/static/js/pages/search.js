// One search: its status (followed live through the server-sent events of
// /api/searches/{id}/events while it is unfinished, falling back to polling), its request and
// result, the Pareto front chart (switchable axes, log scales, fronts of the same network on other
// devices overlaid, validated points' measured latency beside the prediction), the validations,
// and the selected point's per-layer configuration (with each cost's source: user table, measured
// or predicted, when the result says) and a JSON download.
import { api, finished, finishedSearch } from '../api.js';
import { h, facts, table, badge, progress, when, gap, metric, num, failure, downloadJson, announce, fill } from '../dom.js';
import { loadECharts, frontChart, metricLabel, seriesColour, orderedMetrics } from '../front-chart.js';
import { layerMap } from '../layer-map.js';
import { largestGap } from './searches.js';

const METRICS = ['penalty', 'latency', 'bytes', 'bops'];
const POLL_MILLIS = 1000;

export async function renderSearch(ctx) {
  const id = Number(ctx.params[0]);
  ctx.setTitle(`Search #${id}`);
  let search = await api.search(id, ctx.signal);
  const subtitle = h('p', { class: 'subtitle' });
  const summary = h('section', { class: 'panel', id: 'search-summary', 'aria-labelledby': 'summary-title' });
  const frontSection = h('section', { class: 'panel', id: 'front-section', 'aria-labelledby': 'front-title' },
    h('h2', { id: 'front-title' }, 'Pareto front'));
  const configSection = h('section', { class: 'panel', id: 'configuration', 'aria-labelledby': 'config-title' },
    h('h2', { id: 'config-title' }, 'Configuration'));
  ctx.view.append(h('h1', {}, `Search #${id}`), subtitle, summary, frontSection, configSection);
  const profile = api.profile(search.profileId, ctx.signal).catch(() => null);
  renderSubtitle(subtitle, search, null);
  profile.then((p) => ctx.active() && renderSubtitle(subtitle, search, p));
  renderSummary(summary, search);

  const showOutcome = (done) => {
    search = done;
    renderSummary(summary, done);
    if (done.status === 'DONE' && done.result) {
      showFront(ctx, done, profile, frontSection, configSection).catch((error) => {
        if (error.name !== 'AbortError' && ctx.active()) frontSection.append(failure(error));
      });
    } else {
      frontSection.append(h('p', { class: 'muted' }, done.status === 'FAILED' ? 'The search failed; there is no front.' : 'No result.'));
      configSection.hidden = true;
    }
  };
  if (finished(search.status)) {
    showOutcome(search);
  } else {
    frontSection.append(h('p', { class: 'muted waiting' }, 'The front appears here when the search is done.'));
    configSection.hidden = true;
    follow(ctx, id, (change) => {
      search = { ...search, ...change };
      renderSummary(summary, search);
    }, (done) => {
      frontSection.querySelector('.waiting')?.remove();
      configSection.hidden = false;
      announce(`Search ${id} is ${done.status.toLowerCase()}`);
      showOutcome(done);
    });
  }
}

/**
 * Follows an unfinished search: server-sent events (opened here, on the search page only), or
 * polling when the stream cannot be opened. onStatus gets each change; onFinished the full search.
 */
function follow(ctx, id, onStatus, onFinished) {
  let source = null;
  let timer = null;
  let over = false;
  const stop = () => {
    if (source) source.close();
    source = null;
    clearTimeout(timer);
  };
  ctx.onCleanup(stop);
  const finish = async () => {
    if (over) return;
    over = true;
    stop();
    try {
      const full = await api.search(id, ctx.signal);
      if (ctx.active()) onFinished(full);
    } catch (error) {
      if (error.name !== 'AbortError') console.warn(error.message);
    }
  };
  const poll = async () => {
    try {
      const s = await api.search(id, ctx.signal);
      if (!ctx.active()) return;
      onStatus(s);
      if (finished(s.status)) finish();
      else timer = setTimeout(poll, POLL_MILLIS);
    } catch (error) {
      if (error.name !== 'AbortError') timer = setTimeout(poll, 3 * POLL_MILLIS);
    }
  };
  if (!('EventSource' in window)) {
    poll();
    return;
  }
  source = new EventSource(api.searchEvents(id));
  source.addEventListener('status', (event) => {
    const change = JSON.parse(event.data);
    onStatus(change);
    if (finished(change.status)) finish();
  });
  source.onerror = () => {
    if (over || !source) return;
    // the stream failed or ended early: poll instead
    source.close();
    source = null;
    poll();
  };
}

function renderSubtitle(el, search, profile) {
  el.replaceChildren(
    'Network ', h('a', { href: `#/networks/${search.networkId}` }, search.networkName),
    ' · profile ', profile ? `${profile.name} (${profile.method})` : `#${search.profileId}`,
    ' · device ', search.deviceId ? h('a', { href: `#/devices/${search.deviceId}` }, search.deviceName) : '—');
}

function renderSummary(section, search) {
  const request = search.request || {};
  const result = search.result;
  section.dataset.status = search.status;
  const objective = request.front && request.front.length
    ? `minimise ${metricLabel(request.minimize || 'penalty')} against ${request.front.map(metricLabel).join(', ')}`
    : `minimise ${metricLabel(request.minimize || 'penalty')} (one configuration)`;
  const budgetText = (budgets, relative) => Object.entries(budgets || {})
    .map(([m, v]) => `${metricLabel(m)} ≤ ${relative ? v : metric(m, v)}`).join(', ');
  const stats = result && result.stats
    ? Object.entries(result.stats).map(([k, v]) => `${k}: ${typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')
    : null;
  const points = result ? result.points || [] : [];
  fill(section,
    h('h2', { id: 'summary-title' }, 'Status'),
    facts([
      ['Status', h('span', { id: 'search-status' }, badge(search.status),
        !finished(search.status) ? progress(search.progress, 'Search progress') : null)],
      ['Error', search.error ? h('span', { class: 'error-text' }, search.error) : null],
      ['Engine', search.engine || 'best exact engine (chosen when it runs)'],
      ['Seed', String(search.seed)],
      ['Objective', objective],
      ['Budgets', budgetText(request.budgets, false)],
      ['Relative budgets', budgetText(request.relativeBudgets, true)],
      ['Result', result ? h('span', {}, badge(result.status), ' ', result.message || '') : null],
      ['Points', result ? String(points.length) : null],
      ['Largest gap', points.length ? gap(largestGap(points)) : null],
      ['Costs', result && result.costs ? costSummary(result.costs) : null],
      ['Solver', stats],
      ['Reason', search.reason || null],
      ['Standing search', search.standingSearchId ? `#${search.standingSearchId}` : null],
      ['Created', when(search.createdAt)],
      ['Started', search.startedAt ? when(search.startedAt) : null],
      ['Finished', search.finishedAt ? when(search.finishedAt) : null],
    ]),
    result && result.violations && result.violations.length
      ? table({
        caption: 'Budgets that cannot be met',
        id: 'violations',
        headers: ['Metric', 'Budget', 'Smallest reachable'],
        rows: result.violations.map((v) => [metricLabel(v.metric), metric(v.metric, v.budget), metric(v.metric, v.minimum)]),
        numeric: [1, 2],
      })
      : null);
}

/** The chart, its controls, the overlays and the configuration of the selected point. */
async function showFront(ctx, search, profilePromise, section, configSection) {
  const points = search.result.points || [];
  if (!points.length) {
    section.append(h('p', {}, `No points: ${search.result.message || search.result.status}`));
    configSection.hidden = true;
    return;
  }
  const request = search.request || {};
  const y0 = request.minimize || 'penalty';
  const frontMetric = (request.front && request.front[0])
    || Object.keys(request.budgets || request.relativeBudgets || {})[0] || 'latency';
  const state = { x: frontMetric === y0 ? METRICS.find((m) => m !== y0) : frontMetric, y: y0, logX: false, logY: false };
  const primary = {
    key: String(search.id), id: search.id, primary: true, search, points, frontMetric,
    name: `${search.deviceName || 'device'} (#${search.id})`, colour: seriesColour(0),
  };
  const fronts = [primary];

  const select = (name, label, value) => h('div', { class: 'control inline' },
    h('label', { for: `front-${name}` }, label),
    h('select', { id: `front-${name}` }, METRICS.map((m) => h('option', { value: m, selected: m === value }, metricLabel(m)))));
  const check = (name, label) => h('div', { class: 'control inline check' },
    h('input', { type: 'checkbox', id: `front-log-${name}` }),
    h('label', { for: `front-log-${name}` }, label),
    h('span', { class: 'hint', id: `front-log-${name}-hint` }));
  const controls = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Chart axes' },
    select('x', 'X axis', state.x), check('x', 'Log scale X'),
    select('y', 'Y axis', state.y), check('y', 'Log scale Y'));
  const overlays = h('fieldset', { class: 'overlays', id: 'overlays' },
    h('legend', {}, `Fronts of ${search.networkName} on other devices`),
    h('p', { class: 'muted' }, 'Looking for finished searches of this network on other devices…'));
  const help = h('p', { class: 'hint', id: 'chart-help' },
    'Hover a point for its metrics and gap; click it, or focus the chart and use the arrow keys, to see its per-layer configuration below. Shift + mouse wheel zooms.');
  const chartEl = h('div', { id: 'front-chart', class: 'chart', tabindex: 0, role: 'group', 'aria-roledescription': 'chart', 'aria-describedby': 'chart-help' });
  const pointsTable = h('details', { id: 'points-details' }, h('summary', {}, `All ${points.length} points as a table`));
  const validationsEl = h('div', { id: 'validations' });
  section.append(controls, overlays, h('div', { class: 'chart-frame' }, chartEl), help, pointsTable, validationsEl);

  const echarts = await loadECharts();
  if (!ctx.active()) return;
  const data = pointData(ctx, search, profilePromise);
  primary.measured = [];
  primary.validations = await api.validations(search.id, ctx.signal).catch(() => []);
  if (!ctx.active()) return;
  primary.measured = primary.validations
    .filter((v) => v.measured && typeof v.measured.totalSeconds === 'number')
    .map((v) => ({ index: v.pointIndex, latency: v.measured.totalSeconds, error: v.latencyError }));
  let selected = null;
  const choose = (key, index) => {
    const f = fronts.find((fr) => fr.key === key);
    if (!f || !f.points[index]) return;
    selected = { key, index };
    chart.select(key, index);
    showConfiguration(ctx, configSection, f, index, data).catch((error) => {
      if (error.name !== 'AbortError' && ctx.active()) configSection.append(failure(error));
    });
    // remember the point in the address without a new route (replaceState fires no hashchange)
    if (f.primary) history.replaceState(null, '', `#/searches/${search.id}?point=${index + 1}`);
  };
  const chart = frontChart(echarts, chartEl, { onSelect: choose });
  ctx.onCleanup(() => chart.dispose());

  const positive = (axis) => fronts.every((f) => f.points.every((p) => p.metrics[axis] > 0));
  const redraw = () => {
    for (const [name, axis] of [['x', state.x], ['y', state.y]]) {
      const box = document.getElementById(`front-log-${name}`);
      const hint = document.getElementById(`front-log-${name}-hint`);
      const ok = positive(axis);
      box.disabled = !ok;
      if (!ok) box.checked = false;
      hint.textContent = ok ? '' : '(needs values > 0)';
    }
    state.logX = document.getElementById('front-log-x').checked;
    state.logY = document.getElementById('front-log-y').checked;
    chart.update({ fronts, ...state });
    chartEl.setAttribute('aria-label',
      `Pareto front of ${metricLabel(state.y)} against ${metricLabel(state.x)}: ${fronts.map((f) => `${f.name}, ${f.points.length} points`).join('; ')}`);
  };
  controls.addEventListener('change', (event) => {
    if (event.target.id === 'front-x') state.x = event.target.value;
    if (event.target.id === 'front-y') state.y = event.target.value;
    redraw();
  });
  redraw();
  renderPointsTable(pointsTable, primary, (index) => {
    chartEl.focus();
    choose(primary.key, index);
  });
  renderValidations(validationsEl, primary, (index) => {
    chartEl.focus();
    choose(primary.key, index);
  });
  const wanted = Number(ctx.query.get('point'));
  if (wanted >= 1 && wanted <= points.length) choose(primary.key, wanted - 1);
  else showConfigurationHint(configSection);

  // Overlays: the newest finished search of this network on each other device.
  try {
    const others = await api.searches(search.networkId, ctx.signal);
    if (!ctx.active()) return;
    const newest = new Map();
    for (const s of others) {
      if (s.id !== search.id && s.status === 'DONE' && s.deviceId && s.deviceId !== search.deviceId && !newest.has(s.deviceId)) {
        newest.set(s.deviceId, s);
      }
    }
    overlays.querySelector('p').remove();
    if (!newest.size) {
      overlays.append(h('p', { class: 'muted' }, 'No finished search of this network on another device yet.'));
      return;
    }
    let colourIndex = 1;
    for (const s of newest.values()) {
      const colour = seriesColour(colourIndex++);
      const sameProfile = s.profileId === search.profileId;
      const box = h('input', { type: 'checkbox', id: `overlay-${s.id}`, dataset: { search: s.id } });
      box.checked = sameProfile;
      overlays.append(h('div', { class: 'control inline check overlay' }, box,
        h('label', { for: box.id },
          h('span', { class: 'swatch', style: `background: ${colour}`, 'aria-hidden': 'true' }),
          `${s.deviceName} (search #${s.id})`,
          sameProfile ? '' : h('span', { class: 'muted' }, ` — profile #${s.profileId}, penalties not comparable`))));
      const toggle = async () => {
        const existing = fronts.findIndex((f) => f.key === String(s.id));
        if (!box.checked) {
          if (existing >= 0) fronts.splice(existing, 1);
          if (selected && selected.key === String(s.id)) selected = null;
          redraw();
          return;
        }
        if (existing >= 0) return;
        const full = await finishedSearch(s.id, ctx.signal);
        if (!ctx.active() || !box.checked || !full.result) return;
        const fm = (full.request.front && full.request.front[0]) || frontMetric;
        fronts.push({ key: String(s.id), id: s.id, search: full, points: full.result.points || [], frontMetric: fm, name: `${s.deviceName} (#${s.id})`, colour });
        redraw();
      };
      box.addEventListener('change', () => toggle().catch((e) => console.warn(e.message)));
      if (box.checked) await toggle();
    }
  } catch (error) {
    if (error.name !== 'AbortError') overlays.append(failure(error));
  }
}

/** Network, profile and cost tables for the per-layer view, each fetched once per page. */
function pointData(ctx, search, profilePromise) {
  const network = api.network(search.networkId, ctx.signal);
  const costTables = new Map();
  const profiles = new Map([[search.profileId, profilePromise]]);
  return {
    network: () => network,
    profile: (id) => {
      if (!profiles.has(id)) profiles.set(id, api.profile(id, ctx.signal).catch(() => null));
      return profiles.get(id);
    },
    costs: (deviceId) => {
      if (!costTables.has(deviceId)) {
        costTables.set(deviceId, api.costTable(deviceId, search.networkId, ctx.signal).catch(() => null));
      }
      return costTables.get(deviceId);
    },
  };
}

function showConfigurationHint(section) {
  section.replaceChildren(h('h2', { id: 'config-title' }, 'Configuration'),
    h('p', { id: 'point-summary', class: 'muted' }, 'Select a point of the front to see its per-layer precisions.'));
}

let configToken = 0;

async function showConfiguration(ctx, section, front, index, data) {
  const token = ++configToken;
  const point = front.points[index];
  const s = front.search;
  const [network, profile, costs] = await Promise.all([
    data.network(), data.profile(s.profileId), data.costs(s.deviceId),
  ]);
  if (token !== configToken || !ctx.active()) return;
  const layers = network.layers;
  const penalties = profile ? profile.layers.map((l) => l.penalties) : null;
  const costRows = costs ? costs.layers.map((l) => l.costs) : null;
  const download = h('button', { type: 'button', id: 'download-config' }, 'Download configuration (JSON)');
  download.addEventListener('click', () => downloadJson(`mpq-search-${s.id}-point-${index + 1}.json`, {
    search: s.id,
    network: { id: s.networkId, name: s.networkName },
    device: { id: s.deviceId, name: s.deviceName },
    profile: profile ? { id: profile.id, name: profile.name, method: profile.method } : { id: s.profileId },
    point: index + 1,
    points: front.points.length,
    metrics: point.metrics,
    gap: point.gap,
    choices: point.choices,
  }));
  section.replaceChildren(
    h('div', { class: 'config-head' },
      h('h2', { id: 'config-title' }, `Configuration: point ${index + 1} of ${front.points.length}`),
      download),
    h('p', { id: 'point-summary', dataset: { search: s.id, point: index + 1 } },
      h('strong', {}, `${s.deviceName} (search #${s.id})`), ': ',
      orderedMetrics(point.metrics).map(([k, v]) => `${metricLabel(k)} ${metric(k, v)}`).join(' · '),
      ` · gap ${gap(point.gap)}`,
      measuredText(front, index)),
    layerMap({
      layers,
      choices: point.choices,
      penalties,
      costs: costRows,
      sources: s.result && s.result.costs ? s.result.costs.sources : null,
      basis: s.result && s.result.costs ? s.result.costs.basis : null,
    }));
}

function renderPointsTable(details, front, onChoose) {
  const rows = front.points.map((p, i) => {
    const button = h('button', { type: 'button', class: 'link', 'aria-label': `Show configuration of point ${i + 1}` }, String(i + 1));
    button.addEventListener('click', () => onChoose(i));
    return h('tr', {}, h('td', {}, button),
      ...METRICS.map((m) => h('td', { class: 'num' }, metric(m, p.metrics[m]))),
      h('td', { class: 'num' }, gap(p.gap)));
  });
  details.append(table({
    caption: `Points of search ${front.id}`,
    id: 'points-table',
    headers: ['Point', ...METRICS.map(metricLabel), 'Gap'],
    rows,
    numeric: [1, 2, 3, 4, 5],
  }));
}


/** "user cost table; per layer: measured 30, predicted 22"; excluded precisions with their reasons. */
function costSummary(costs) {
  const counts = new Map();
  Object.values(costs.sources || {}).forEach((layer) => Object.values(layer || {}).forEach((source) => {
    counts.set(source, (counts.get(source) || 0) + 1);
  }));
  const excluded = Object.entries(costs.excluded || {});
  return h('span', { class: 'cost-basis' },
    costs.basis || 'unknown basis',
    counts.size ? ` (options: ${[...counts.entries()].map(([k, n]) => `${k} ${n}`).join(', ')})` : '',
    excluded.length ? h('span', { class: 'hint', title: excluded.map(([p, r]) => `${p}: ${r}`).join('\n') },
      ` · excluded: ${excluded.map(([p]) => p).join(', ')}`) : null);
}

/** " · measured latency 1.23 (error +4.5 %)" for a validated point of the front, else nothing. */
function measuredText(front, index) {
  const m = (front.measured || []).find((v) => v.index === index);
  if (!m) return null;
  const error = m.error === null || m.error === undefined ? '' : ` (error ${m.error >= 0 ? '+' : ''}${num(m.error * 100)} %)`;
  return h('span', { class: 'measured' }, ` · measured latency ${num(m.latency)}${error}`);
}

/** The validation runs of the search's points: predicted against measured, with the error. */
function renderValidations(el, front, onChoose) {
  const runs = front.validations || [];
  if (!runs.length) {
    el.append(h('p', { class: 'hint' }, 'No validation runs yet (POST /api/searches/{id}/validations sends chosen points to the device\'s worker).'));
    return;
  }
  const rows = runs.map((v) => {
    const button = h('button', { type: 'button', class: 'link', 'aria-label': `Show configuration of point ${v.pointIndex + 1}` }, String(v.pointIndex + 1));
    button.addEventListener('click', () => onChoose(v.pointIndex));
    const measured = v.measured || {};
    return h('tr', { dataset: { point: v.pointIndex + 1 } },
      h('td', {}, button),
      h('td', {}, badge(v.status)),
      h('td', { class: 'num predicted' }, v.predicted && v.predicted.latency !== undefined ? num(v.predicted.latency) : '—'),
      h('td', { class: 'num measured' }, typeof measured.totalSeconds === 'number' ? num(measured.totalSeconds) : '—'),
      h('td', { class: 'num latency-error' }, v.latencyError === null || v.latencyError === undefined ? '—' : `${v.latencyError >= 0 ? '+' : ''}${num(v.latencyError * 100)} %`),
      h('td', { class: 'num' }, measured.outputError === null || measured.outputError === undefined ? '—' : num(measured.outputError)),
      h('td', {}, measured.errorMetric || measured.environment || ''));
  });
  el.append(h('h3', {}, 'Validations'),
    h('p', { class: 'hint' }, 'Configurations run on the device by its worker: predicted and measured latency (seconds); on the chart, measured points are hollow diamonds joined to their prediction when the x axis is latency.'),
    table({
      caption: 'Validation runs',
      id: 'validations-table',
      headers: ['Point', 'Status', 'Predicted latency', 'Measured latency', 'Latency error', 'Output error', 'How'],
      rows,
      numeric: [2, 3, 4, 5],
    }));
}
