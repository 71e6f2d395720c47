// Networks: the list, and one network's layers (kind, shape, parameters, MACs, tie groups), its
// sensitivity profiles (method, precisions, penalties on demand), the devices with a cost table for
// it, its standing searches (re-run for every device) and its searches.
import { api } from '../api.js';
import { h, table, facts, int, si, shape, when, num } from '../dom.js';
import { heatTable, precisionColumns } from '../heat-table.js';
import { searchList, pollWhileUnfinished } from './searches.js';

export async function renderNetworks(ctx) {
  ctx.setTitle('Networks');
  const networks = await api.networks(ctx.signal);
  ctx.view.append(h('h1', {}, 'Networks'));
  if (!networks.length) {
    ctx.view.append(h('p', { class: 'muted' }, 'No networks yet. POST a layer list to /api/networks (see the API documentation).'));
    return;
  }
  ctx.view.append(h('section', { class: 'panel' }, table({
    caption: 'Networks',
    id: 'networks',
    headers: ['Network', 'Id', 'Layers', 'Parameters', 'Created'],
    rows: networks.map((n) => h('tr', { dataset: { id: n.id } },
      h('td', {}, h('a', { href: `#/networks/${n.id}` }, n.name)),
      h('td', { class: 'num' }, String(n.id)),
      h('td', { class: 'num' }, int(n.layers)),
      h('td', { class: 'num' }, si(n.parameters)),
      h('td', {}, when(n.createdAt)))),
    numeric: [1, 2, 3],
  })));
}

export async function renderNetwork(ctx) {
  const id = Number(ctx.params[0]);
  const [network, profiles, devices, searches, standing] = await Promise.all([
    api.network(id, ctx.signal), api.profiles(id, ctx.signal), api.devices(ctx.signal), api.searches(id, ctx.signal),
    api.standingSearches(id, ctx.signal).catch(() => []),
  ]);
  ctx.setTitle(network.name);
  const layers = network.layers;
  const totalParameters = layers.reduce((s, l) => s + l.parameters, 0);
  const totalMacs = layers.reduce((s, l) => s + l.macs, 0);
  const ties = network.ties || [];
  const tieGroupOf = new Map();
  layers.forEach((l) => { if (l.tieGroup) tieGroupOf.set(l.tieGroup, (tieGroupOf.get(l.tieGroup) || 0) + 1); });
  const kinds = new Map();
  layers.forEach((l) => kinds.set(l.kind, (kinds.get(l.kind) || 0) + 1));

  ctx.view.append(
    h('h1', {}, `Network ${network.name}`),
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: `#/searches?network=${id}` }, 'New search of this network')),
    h('section', { class: 'panel', 'aria-labelledby': 'network-facts' },
      h('h2', { id: 'network-facts' }, 'Summary'),
      facts([
        ['Id', String(network.id)],
        ['Layers', `${layers.length} (${[...kinds.entries()].map(([k, n]) => `${n} ${k}`).join(', ')})`],
        ['Parameters', `${int(totalParameters)} (${si(totalParameters)})`],
        ['MACs', `${int(totalMacs)} (${si(totalMacs)})`],
        ['Tie groups', ties.length ? String(ties.length) : 'none'],
        ['Created', when(network.createdAt)],
      ])),
    h('section', { class: 'panel', 'aria-labelledby': 'layers-title' },
      h('h2', { id: 'layers-title' }, 'Layers'),
      table({
        caption: `Layers of ${network.name}`,
        id: 'layers-table',
        headers: ['#', 'Layer', 'Kind', 'Shape', 'Parameters', 'MACs', 'Tie group'],
        rows: layers.map((l, i) => h('tr', { dataset: { layer: l.name } },
          h('td', { class: 'num' }, String(i + 1)),
          h('td', { class: 'layer-name' }, l.name),
          h('td', { class: 'kind' }, l.kind),
          h('td', { class: 'shape' }, shape(l.shape)),
          h('td', { class: 'num parameters', title: int(l.parameters) }, int(l.parameters)),
          h('td', { class: 'num macs', title: int(l.macs) }, int(l.macs)),
          h('td', { class: 'tie' }, l.tieGroup ? `${l.tieGroup} (${tieGroupOf.get(l.tieGroup)} layers)` : ''))),
        numeric: [0, 4, 5],
      }),
      ties.length ? h('div', {},
        h('h3', {}, 'Tie groups'),
        h('p', { class: 'hint' }, 'The layers of a tie group always take the same precision.'),
        h('ul', { id: 'ties' }, ties.map((group) => h('li', {}, group.join(', '))))) : null),
    profileSection(ctx, network, profiles),
    costTableSection(network, devices),
    standing.length ? h('section', { class: 'panel', 'aria-labelledby': 'standing-title' },
      h('h2', { id: 'standing-title' }, 'Standing searches'),
      h('p', { class: 'hint' }, 'Saved requests that the service re-runs for every device (when one is added, or its measured table or the inputs change).'),
      table({
        caption: `Standing searches of ${network.name}`,
        id: 'standing-table',
        headers: ['Name', 'Id', 'Profile', 'Request', 'Created'],
        rows: standing.map((st) => [
          st.name, String(st.id),
          (profiles.find((p) => p.id === st.profileId) || { name: `#${st.profileId}` }).name,
          requestText(st.request),
          when(st.createdAt),
        ]),
        numeric: [1],
      })) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'network-searches' },
      h('h2', { id: 'network-searches' }, 'Searches'),
      (() => {
        const list = searchList(ctx, searches, { caption: `Searches of ${network.name}` });
        pollWhileUnfinished(ctx, () => api.searches(id, ctx.signal), list.update, searches);
        return list.element;
      })()));
}

function profileSection(ctx, network, profiles) {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'profiles-title' },
    h('h2', { id: 'profiles-title' }, 'Sensitivity profiles'));
  if (!profiles.length) {
    section.append(h('p', { class: 'muted' }, `No profile yet: POST one to /api/networks/${network.id}/profiles.`));
    return section;
  }
  const rows = profiles.map((p) => {
    const precisions = h('td', { class: 'precisions' }, '…');
    const details = h('details', { class: 'penalties', dataset: { profile: p.id } },
      h('summary', {}, 'Penalties by layer and precision'));
    let loaded = null;
    const load = () => {
      loaded = loaded || api.profile(p.id, ctx.signal).then((full) => {
        const maps = full.layers.map((l) => l.penalties);
        const columns = precisionColumns(maps);
        precisions.textContent = `${columns.length}: ${columns.join(', ')}`;
        return { full, maps, columns };
      });
      return loaded;
    };
    load().catch((e) => { precisions.textContent = e.name === 'AbortError' ? '' : e.message; });
    details.addEventListener('toggle', async () => {
      if (!details.open || details.querySelector('table')) return;
      const { full, maps, columns } = await load();
      details.append(heatTable({
        caption: `Penalties of profile ${full.name}`,
        id: `penalties-${p.id}`,
        rows: full.layers.map((l, i) => ({ name: l.name, values: maps[i] })),
        columns,
        format: num,
        hue: 14,
      }));
    });
    return [
      h('tr', { dataset: { profile: p.id } },
        h('td', {}, p.name),
        h('td', { class: 'num' }, String(p.id)),
        h('td', { class: 'method' }, p.method),
        precisions,
        h('td', {}, when(p.createdAt)),
        h('td', {}, h('a', { href: `#/searches?network=${network.id}&profile=${p.id}`, 'aria-label': `New search with profile ${p.name}` }, 'Search with it'))),
      h('tr', { class: 'details-row' }, h('td', { colspan: 6 }, details)),
    ];
  });
  section.append(table({
    caption: `Sensitivity profiles of ${network.name}`,
    id: 'profiles-table',
    headers: ['Profile', 'Id', 'Method', 'Precisions', 'Created', ''],
    rows: rows.flat(),
    numeric: [1],
  }));
  return section;
}

/** "penalty against latency; budgets bytes ≤ 1e6" from a search request. */
function requestText(request) {
  if (!request) return '—';
  const parts = [`${request.minimize || 'penalty'}${request.front && request.front.length ? ` against ${request.front.join(', ')}` : ''}`];
  const budgets = Object.entries(request.budgets || {}).map(([m, v]) => `${m} ≤ ${num(v)}`)
    .concat(Object.entries(request.relativeBudgets || {}).map(([m, v]) => `${m} ≤ ${v} of range`));
  if (budgets.length) parts.push(`budgets ${budgets.join(', ')}`);
  if (request.engine) parts.push(`engine ${request.engine}`);
  return parts.join('; ');
}

function costTableSection(network, devices) {
  const covered = devices.filter((d) => (d.costTableNetworks || []).includes(network.id));
  return h('section', { class: 'panel', 'aria-labelledby': 'network-costs' },
    h('h2', { id: 'network-costs' }, 'Devices with a cost table'),
    covered.length
      ? h('ul', { id: 'network-devices' }, covered.map((d) => h('li', {},
        h('a', { href: `#/devices/${d.id}?network=${network.id}` }, d.name), ` (${d.kind})`)))
      : h('p', { class: 'muted' }, `No device has a cost table for this network yet: PUT one to /api/devices/{id}/cost-tables/${network.id}.`));
}
