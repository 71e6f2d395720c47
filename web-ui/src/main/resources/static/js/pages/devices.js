// Devices: the list, and one device's spec, cost model (catalogue entry, calibration, held-out
// accuracy), how it runs each format (native, dequantize-then-compute, excluded), its workers and
// their last heartbeat, its tasks, the coverage of its measured table, and its cost tables. Fields
// of a device the dashboard does not know yet are shown generically, so they appear as soon as the
// API returns them.
import { api } from '../api.js';
import { h, table, facts, when, whenShort, metric, num, int, si, add, badge, shape } from '../dom.js';
import { heatTable, precisionColumns } from '../heat-table.js';

const KNOWN = new Set(['id', 'name', 'kind', 'spec', 'createdAt', 'costTableNetworks', 'catalogue', 'overrides', 'model']);

export async function renderDevices(ctx) {
  ctx.setTitle('Devices');
  const [devices, networks] = await Promise.all([api.devices(ctx.signal), api.networks(ctx.signal)]);
  const networkName = new Map(networks.map((n) => [n.id, n.name]));
  ctx.view.append(h('h1', {}, 'Devices'));
  if (!devices.length) {
    ctx.view.append(h('p', { class: 'muted' }, 'No devices yet. POST {name, kind, spec} to /api/devices.'));
    return;
  }
  const extras = [...new Set(devices.flatMap((d) => Object.keys(d).filter((k) => !KNOWN.has(k))))];
  const workerCells = new Map(devices.map((d) => [d.id, h('td', { class: 'workers' }, '…')]));
  ctx.view.append(h('section', { class: 'panel' }, table({
    caption: 'Devices',
    id: 'devices',
    headers: ['Device', 'Id', 'Kind', 'Cost model', 'Workers', 'Cost tables', ...extras.map(humanise), 'Created'],
    rows: devices.map((d) => h('tr', { dataset: { id: d.id } },
      h('td', {}, h('a', { href: `#/devices/${d.id}` }, d.name)),
      h('td', { class: 'num' }, String(d.id)),
      h('td', {}, d.kind),
      h('td', { class: 'spec-short', title: d.model ? d.model.basis || '' : '' }, d.model
        ? `${d.catalogue || 'catalogue'}: ${String(d.model.basis || '').split(/[;(]/)[0].trim()}${d.model.measuredPoints ? `, ${int(d.model.measuredPoints)} measured points` : ''}`
        : h('span', {}, 'cost tables only', h('br'), h('span', { class: 'hint' }, specSummary(d.spec)))),
      workerCells.get(d.id),
      h('td', {}, (d.costTableNetworks || []).length
        ? (d.costTableNetworks || []).map((n, i) => [i ? ', ' : '', h('a', { href: `#/devices/${d.id}?network=${n}` }, networkName.get(n) || `#${n}`)])
        : h('span', { class: 'muted' }, 'none')),
      extras.map((k) => h('td', {}, brief(d[k]))),
      h('td', { class: 'created' }, whenShort(d.createdAt)))),
    numeric: [1],
  })));
  devices.forEach(async (d) => {
    try {
      const workers = await api.workers(d.id, ctx.signal);
      const last = latest(workers.map((w) => w.lastSeenAt));
      workerCells.get(d.id).textContent = workers.length
        ? `${workers.length}, last heartbeat ${last ? ago(last) : 'never'}`
        : 'none';
    } catch (error) {
      if (error.name !== 'AbortError') workerCells.get(d.id).textContent = '—';
    }
  });
}

export async function renderDevice(ctx) {
  const id = Number(ctx.params[0]);
  const [device, networks] = await Promise.all([api.device(id, ctx.signal), api.networks(ctx.signal)]);
  ctx.setTitle(device.name);
  const networkName = new Map(networks.map((n) => [n.id, n.name]));
  const tables = device.costTableNetworks || [];
  const chosen = Number(ctx.query.get('network')) || tables[0];

  add(ctx.view,
    h('h1', {}, `Device ${device.name}`),
    h('section', { class: 'panel', 'aria-labelledby': 'device-facts' },
      h('h2', { id: 'device-facts' }, 'Summary'),
      facts([
        ['Id', String(device.id)],
        ['Kind', device.kind],
        ['Catalogue entry', device.catalogue || 'none (costed by its cost tables only)'],
        ['Overrides', device.overrides && Object.values(device.overrides).some((v) => v !== null) ? value(device.overrides, 'overrides') : null],
        ['Created', when(device.createdAt)],
      ])),
    Object.keys(device.spec || {}).length || !device.model
      ? h('section', { class: 'panel', 'aria-labelledby': 'device-spec' },
        h('h2', { id: 'device-spec' }, 'Spec'),
        Object.keys(device.spec || {}).length
          ? value(device.spec, 'spec')
          : h('p', { class: 'muted' }, 'No spec and no catalogue entry: costs come from its cost tables only.'))
      : null,
    device.model ? h('section', { class: 'panel', 'aria-labelledby': 'device-model' },
      h('h2', { id: 'device-model' }, 'Cost model'), modelView(device.model)) : null,
    Object.keys(device).filter((k) => !KNOWN.has(k)).map((k) => h('section', { class: 'panel extra', dataset: { field: k } },
      h('h2', {}, humanise(k)), value(device[k], k))));

  const formats = h('section', { class: 'panel', 'aria-labelledby': 'device-formats' }, h('h2', { id: 'device-formats' }, 'Formats'));
  const workers = h('section', { class: 'panel', 'aria-labelledby': 'device-workers' }, h('h2', { id: 'device-workers' }, 'Workers'));
  const tasks = h('section', { class: 'panel', 'aria-labelledby': 'device-tasks' }, h('h2', { id: 'device-tasks' }, 'Tasks'));
  const measured = h('section', { class: 'panel', 'aria-labelledby': 'device-measured' }, h('h2', { id: 'device-measured' }, 'Measured table'));
  ctx.view.append(workers, formats, measured, tasks);
  const networkLink = (nid) => h('a', { href: `#/networks/${nid}` }, networkName.get(nid) || `#${nid}`);
  const [formatRows, workerRows, taskRows, measurementRows] = await Promise.all([
    device.catalogue || device.model
      ? api.formats(id, ctx.signal).catch((e) => e)
      : new Error('No catalogue entry, so no format model: the device is costed by the cost tables it is given.'),
    api.workers(id, ctx.signal).catch((e) => e),
    api.tasks(id, ctx.signal).catch((e) => e),
    api.measurements(id, ctx.signal).catch((e) => e),
  ]);
  if (!ctx.active()) return;
  renderFormats(formats, formatRows);
  renderWorkers(workers, workerRows);
  renderTasks(tasks, taskRows, networkLink);
  renderMeasured(measured, measurementRows);

  const costs = h('section', { class: 'panel', 'aria-labelledby': 'device-costs' },
    h('h2', { id: 'device-costs' }, 'Cost tables'));
  ctx.view.append(costs);
  if (!tables.length) {
    costs.append(h('p', { class: 'muted' }, `No cost table yet: PUT one to /api/devices/${id}/cost-tables/{networkId}.`));
    return;
  }
  const picker = h('select', { id: 'cost-table-network' },
    tables.map((n) => h('option', { value: n, selected: n === chosen }, `${networkName.get(n) || 'network'} (#${n})`)));
  picker.addEventListener('change', () => { location.hash = `#/devices/${id}?network=${picker.value}`; });
  costs.append(h('div', { class: 'control inline' }, h('label', { for: picker.id }, 'Network'), picker));
  const body = h('div', { id: 'cost-table' }, h('p', { class: 'muted' }, 'Loading…'));
  costs.append(body);
  const [table_, network] = await Promise.all([api.costTable(id, chosen, ctx.signal), api.network(chosen, ctx.signal)]);
  if (!ctx.active()) return;
  const maps = table_.layers.map((l) => l.costs);
  const columns = precisionColumns(maps);
  const entries = maps.reduce((s, m) => s + Object.keys(m).length, 0);
  const sources = new Map();
  maps.forEach((m) => Object.values(m).forEach((c) => {
    const source = c.source || (c.measured === undefined ? null : (c.measured ? 'measured' : 'predicted'));
    if (source) sources.set(source, (sources.get(source) || 0) + 1);
  }));
  body.replaceChildren(
    facts([
      ['Network', h('a', { href: `#/networks/${chosen}` }, network.name)],
      ['Coverage', `${int(entries)} costs for ${table_.layers.length} layers × ${columns.length} precisions (${num(100 * entries / (table_.layers.length * columns.length || 1))} % filled)`],
      ['Measured / predicted', sources.size
        ? [...sources.entries()].map(([k, n]) => `${k}: ${int(n)}`).join(', ')
        : 'given by the user (the table records no source per entry)'],
    ]),
    h('p', { class: 'hint' }, 'Latency per layer and precision; hover a cell for bytes and BOPs. Shading is per layer: darker = slower.'),
    heatTable({
      caption: `Latency of ${network.name} on ${device.name}`,
      id: 'cost-table-values',
      rows: table_.layers.map((l) => ({
        name: l.name,
        values: Object.fromEntries(Object.entries(l.costs).map(([p, c]) => [p, c.latency])),
        titles: Object.fromEntries(Object.entries(l.costs).map(([p, c]) => [p,
          `${l.name}, ${p}: latency ${metric('latency', c.latency)}, ${metric('bytes', c.bytes)}, ${metric('bops', c.bops)}${c.source ? ', ' + c.source : ''}`])),
      })),
      columns,
      format: (v) => metric('latency', v),
      hue: 212,
    }));
}

function unavailable(section, result) {
  if (result instanceof Error) {
    section.append(h('p', { class: 'muted' }, result.message));
    return true;
  }
  return false;
}

function renderFormats(section, rows) {
  if (unavailable(section, rows)) return;
  const bySupport = new Map();
  rows.forEach((r) => {
    const kind = String(r.support).toLowerCase();
    bySupport.set(kind, [...(bySupport.get(kind) || []), r.format]);
  });
  const native = bySupport.get('native') || [];
  section.append(
    h('p', { id: 'native-formats' }, native.length ? `Native: ${native.join(', ')}` : 'No format runs natively.'),
    h('p', { class: 'hint' }, [...bySupport.entries()].filter(([k]) => k !== 'native').map(([k, f]) => `${k}: ${f.length} formats`).join(' · ')),
    h('details', {}, h('summary', {}, `All ${rows.length} formats`), table({
      caption: 'How the device runs each format',
      id: 'formats-table',
      headers: ['Format', 'Support', 'Math', 'Note'],
      rows: rows.map((r) => h('tr', { dataset: { format: r.format } },
        h('td', {}, h('code', {}, r.format)),
        h('td', { class: 'support' }, String(r.support).toLowerCase()),
        h('td', {}, r.mode === null || r.mode === undefined ? '—' : String(r.mode).toLowerCase()),
        h('td', {}, r.note || ''))),
    })));
}

function renderWorkers(section, rows) {
  if (unavailable(section, rows)) return;
  if (!rows.length) {
    section.append(h('p', { class: 'muted' }, 'No worker yet: POST /api/devices/{id}/workers issues a token for one (see devices/PROTOCOL.md).'));
    return;
  }
  section.append(table({
    caption: 'Workers of the device',
    id: 'workers-table',
    headers: ['Worker', 'Version', 'Last heartbeat', 'Machine', 'Added'],
    rows: rows.map((w) => h('tr', { dataset: { worker: w.id } },
      h('td', {}, w.name),
      h('td', {}, w.version || '—'),
      h('td', { class: 'heartbeat', title: w.lastSeenAt ? when(w.lastSeenAt) : '' }, w.lastSeenAt ? ago(w.lastSeenAt) : 'never'),
      h('td', {}, w.probe && Object.keys(w.probe).length ? h('details', {}, h('summary', {}, probeSummary(w.probe)), value(w.probe, 'probe')) : '—'),
      h('td', { class: 'created' }, whenShort(w.createdAt)))),
  }));
}

function renderTasks(section, rows, networkLink) {
  if (unavailable(section, rows)) return;
  if (!rows.length) {
    section.append(h('p', { class: 'muted' }, 'No profile or validation tasks yet.'));
    return;
  }
  section.append(table({
    caption: 'Tasks of the device',
    id: 'tasks-table',
    headers: ['Task', 'Kind', 'Status', 'Network', 'Search', 'Items', 'Attempts', 'Error', 'Created', 'Finished'],
    rows: rows.map((t) => h('tr', { dataset: { task: t.id } },
      h('td', { class: 'num' }, String(t.id)),
      h('td', {}, t.kind),
      h('td', {}, badge(t.status)),
      h('td', {}, networkLink(t.networkId)),
      h('td', {}, t.searchId ? h('a', { href: `#/searches/${t.searchId}${t.pointIndex !== null && t.pointIndex !== undefined ? `?point=${t.pointIndex + 1}` : ''}` },
        `#${t.searchId}${t.pointIndex !== null && t.pointIndex !== undefined ? `, point ${t.pointIndex + 1}` : ''}`) : '—'),
      h('td', { class: 'num' }, int(t.items)),
      h('td', { class: 'num' }, int(t.attempts)),
      h('td', { class: 'error-text' }, t.error || ''),
      h('td', { class: 'created' }, whenShort(t.createdAt)),
      h('td', { class: 'created' }, t.finishedAt ? whenShort(t.finishedAt) : '—'))),
    numeric: [0, 5, 6],
  }));
}

/** Coverage of the measured table: per precision, how many layer shapes and batches were measured. */
function renderMeasured(section, rows) {
  if (unavailable(section, rows)) return;
  if (!rows.length) {
    section.append(h('p', { class: 'muted' }, 'Nothing measured on this device yet.'));
    return;
  }
  const byPrecision = new Map();
  for (const r of rows) {
    const entry = byPrecision.get(r.precision) || { shapes: new Set(), batches: new Set(), runtimes: new Set(), n: 0, min: Infinity, max: -Infinity };
    entry.shapes.add(`${r.layerKind} ${shape(r.shape)}`);
    entry.batches.add(r.batch);
    entry.runtimes.add(r.runtime);
    entry.n += 1;
    entry.min = Math.min(entry.min, r.seconds);
    entry.max = Math.max(entry.max, r.seconds);
    byPrecision.set(r.precision, entry);
  }
  const shapes = new Set(rows.map((r) => `${r.layerKind} ${shape(r.shape)}`));
  const newest = latest(rows.map((r) => r.measuredAt));
  section.append(
    facts([
      ['Measurements', int(rows.length)],
      ['Layer shapes', int(shapes.size)],
      ['Precisions', int(byPrecision.size)],
      ['Last measured', newest ? when(newest) : null],
    ]),
    table({
      caption: 'Measured table coverage by precision',
      id: 'measured-coverage',
      headers: ['Precision', 'Shapes', 'Batches', 'Runtimes', 'Measurements', 'Seconds (min – max)'],
      rows: [...byPrecision.entries()].map(([p, e]) => h('tr', { dataset: { precision: p } },
        h('td', {}, h('code', {}, p)),
        h('td', { class: 'num' }, `${e.shapes.size} of ${shapes.size}`),
        h('td', {}, [...e.batches].sort((a, b) => a - b).join(', ')),
        h('td', {}, [...e.runtimes].join(', ')),
        h('td', { class: 'num' }, int(e.n)),
        h('td', { class: 'num' }, `${num(e.min)} – ${num(e.max)}`))),
      numeric: [1, 4, 5],
    }));
}

/** The device's cost model: basis, calibration, held-out accuracy, and its figures on demand. */
function modelView(model) {
  return h('div', {},
    h('p', { class: 'basis' }, model.basis || ''),
    facts([
      ['Measured points', int(model.measuredPoints ?? 0)],
      ['Calibration', model.calibration ? value(model.calibration, 'calibration') : 'not calibrated yet'],
      ['Held-out accuracy', model.accuracy ? value(model.accuracy, 'accuracy') : 'none yet (needs measured points)'],
      ['Updated', model.updatedAt ? when(model.updatedAt) : null],
    ]),
    model.spec ? h('details', { class: 'spec-details' },
      h('summary', {}, `Figures of ${model.spec.name || model.spec.id || 'the device'}`),
      facts(flatten(model.spec).map(([k, v]) => [k, scalar(v)]))) : null);
}

/** {a: 1, b: {c: 2}, d: {id: 'fp32', ...}} -> [[a, 1], [b.c, 2], [d, 'fp32']]. */
function flatten(object, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(object || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if ('id' in v && prefix === '' && k !== 'spec') out.push([key, v.id]);
      else out.push(...flatten(v, key));
    } else {
      out.push([key, Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? x.id || JSON.stringify(x) : x)).join(', ') || 'none' : v]);
    }
  }
  return out;
}

function probeSummary(probe) {
  const parts = [probe.cpuModel, probe.cores ? `${probe.cores} cores` : null, probe.bandwidthGbs ? `${num(probe.bandwidthGbs)} GB/s` : null].filter(Boolean);
  return parts.length ? parts.join(', ') : 'probe';
}

function latest(times) {
  const valid = times.filter(Boolean).sort();
  return valid.length ? valid[valid.length - 1] : null;
}

/** "12 s ago", "5 min ago", "3 h ago", else the date. */
function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 0) return when(iso);
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return when(iso);
}

function humanise(key) {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function specSummary(spec) {
  const entries = Object.entries(spec || {});
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  const text = entries.slice(0, 3).map(([k, v]) => `${k}: ${typeof v === 'object' ? '…' : v}`).join(', ');
  return entries.length > 3 ? `${text}, …` : text;
}

function brief(v) {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return `${v.length}`;
  if (typeof v === 'object') return `${Object.keys(v).length} fields`;
  return String(v);
}

/** Any JSON value as HTML: objects as definition lists, arrays of objects as tables. */
function value(v, name) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  if (Array.isArray(v)) {
    if (!v.length) return h('span', { class: 'muted' }, 'none');
    if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x)))];
      return table({
        caption: humanise(name),
        headers: keys.map(humanise),
        rows: v.map((x) => keys.map((k) => (/(At|heartbeat)$/i.test(k) && typeof x[k] === 'string' ? when(x[k]) : scalar(x[k])))),
      });
    }
    return h('span', {}, v.map(scalar).join(', '));
  }
  if (typeof v === 'object') {
    return facts(Object.entries(v).map(([k, x]) => [k, typeof x === 'object' && x !== null ? value(x, k) : scalar(x)]));
  }
  return h('span', {}, scalar(v));
}

function scalar(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Math.abs(v) >= 1e6 ? si(v) : num(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
