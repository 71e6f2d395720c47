// Devices: the list, and one device's spec, its cost tables (coverage and values) and whatever else
// the API reports about it. Fields the dashboard does not know yet (native formats, measured-table
// coverage, workers and their last heartbeat, ...) are shown generically, so they appear as soon as
// the API returns them.
import { api } from '../api.js';
import { h, table, facts, when, metric, num, int, si, add } from '../dom.js';
import { heatTable, precisionColumns } from '../heat-table.js';

const KNOWN = new Set(['id', 'name', 'kind', 'spec', 'createdAt', 'costTableNetworks']);

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
  ctx.view.append(h('section', { class: 'panel' }, table({
    caption: 'Devices',
    id: 'devices',
    headers: ['Device', 'Id', 'Kind', 'Spec', 'Cost tables', ...extras.map(humanise), 'Created'],
    rows: devices.map((d) => h('tr', { dataset: { id: d.id } },
      h('td', {}, h('a', { href: `#/devices/${d.id}` }, d.name)),
      h('td', { class: 'num' }, String(d.id)),
      h('td', {}, d.kind),
      h('td', { class: 'spec-short' }, specSummary(d.spec)),
      h('td', {}, (d.costTableNetworks || []).length
        ? (d.costTableNetworks || []).map((n, i) => [i ? ', ' : '', h('a', { href: `#/devices/${d.id}?network=${n}` }, networkName.get(n) || `#${n}`)])
        : h('span', { class: 'muted' }, 'none')),
      extras.map((k) => h('td', {}, brief(d[k]))),
      h('td', {}, when(d.createdAt)))),
    numeric: [1],
  })));
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
      facts([['Id', String(device.id)], ['Kind', device.kind], ['Created', when(device.createdAt)]])),
    h('section', { class: 'panel', 'aria-labelledby': 'device-spec' },
      h('h2', { id: 'device-spec' }, 'Spec'),
      Object.keys(device.spec || {}).length
        ? value(device.spec, 'spec')
        : h('p', { class: 'muted' }, 'No spec given; costs come from its cost tables only.')),
    Object.keys(device).filter((k) => !KNOWN.has(k)).map((k) => h('section', { class: 'panel extra', dataset: { field: k } },
      h('h2', {}, humanise(k)), value(device[k], k))));

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
        : 'not recorded in this table'],
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
