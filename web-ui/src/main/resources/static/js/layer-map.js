// A point's per-layer configuration: a strip across the layers (colour = precision, by weight bits;
// below it the layer's share of the penalty and of the latency as heat, and where its cost came
// from: user table, measured or predicted), a legend, and the table with every layer's precision
// and its costs from the profile and the device's cost table.
import { h, table, metric, num, shape } from './dom.js';
import { palette } from './precision.js';

const SOURCE_COLOURS = { measured: '#2b8a3e', predicted: '#e8890c', user: '#868e96' };

/**
 * layers: [{name, kind, shape}] in network order; choices: {layer: precision};
 * penalties: [{precision: penalty}] aligned with layers, or null; costs: [{precision: {latency,
 * bytes, bops, source?}}] aligned with layers, or null; sources: the result's {layer: {precision:
 * user|measured|predicted}}, or null.
 */
export function layerMap({ layers, choices, penalties, costs, sources = null }) {
  const ids = layers.map((l) => choices[l.name]);
  const colours = palette(ids.filter(Boolean));
  const penaltyOf = (i) => (penalties && penalties[i] ? penalties[i][ids[i]] : undefined);
  const costOf = (i) => (costs && costs[i] ? costs[i][ids[i]] : undefined);
  const showLabels = layers.length <= 32;
  const sourceOf = (i) => {
    const fromResult = sources && sources[layers[i].name] ? sources[layers[i].name][ids[i]] : undefined;
    if (fromResult) return fromResult;
    const cost = costOf(i);
    if (cost && cost.source) return cost.source;
    if (cost && cost.measured !== undefined) return cost.measured ? 'measured' : 'predicted';
    return undefined;
  };
  const layerSources = layers.map((l, i) => sourceOf(i));
  const hasSources = layerSources.some((s) => s !== undefined);

  const counts = new Map();
  ids.forEach((id) => counts.set(id, (counts.get(id) || 0) + 1));
  const description = `Precision by layer, ${layers.length} layers: ` +
    [...counts.entries()].map(([id, n]) => `${id} on ${n}`).join(', ');

  const heatRow = (label, values, hue) => {
    const max = Math.max(...values.filter((v) => typeof v === 'number'), 0);
    return h('div', { class: 'strip-row' },
      h('span', { class: 'strip-label' }, label),
      h('div', { class: 'strip-cells' }, values.map((v, i) => {
        const share = typeof v === 'number' && max > 0 ? v / max : 0;
        return h('span', {
          class: 'strip-cell heat',
          style: `background: hsl(${hue} 80% ${Math.round(97 - share * 52)}%)`,
          title: `${layers[i].name}: ${label.toLowerCase()} ${typeof v === 'number' ? num(v) : 'unknown'}`,
        });
      })));
  };

  const strip = h('div', { class: `strip${showLabels ? ' labelled' : ''}`, role: 'img', 'aria-label': description },
    h('div', { class: 'strip-row' },
      h('span', { class: 'strip-label' }, 'Precision'),
      h('div', { class: 'strip-cells' }, layers.map((l, i) => h('span', {
        class: 'strip-cell',
        style: `background: ${colours.get(ids[i]) || '#ddd'}`,
        title: `${i + 1}. ${l.name} (${l.kind}): ${ids[i]}`,
        dataset: { layer: l.name, precision: ids[i] },
      }, showLabels ? h('span', { class: 'strip-text' }, ids[i]) : null)))),
    penalties ? heatRow('Penalty', layers.map((l, i) => penaltyOf(i)), 14) : null,
    costs ? heatRow('Latency', layers.map((l, i) => costOf(i)?.latency), 212) : null,
    hasSources ? h('div', { class: 'strip-row' },
      h('span', { class: 'strip-label' }, 'Cost'),
      h('div', { class: 'strip-cells' }, layers.map((l, i) => h('span', {
        class: 'strip-cell heat source',
        style: `background: ${SOURCE_COLOURS[layerSources[i]] || '#dee2e6'}`,
        title: `${l.name}: cost ${layerSources[i] || 'source unknown'}`,
        dataset: { source: layerSources[i] || '' },
      })))) : null,
    h('div', { class: 'strip-row strip-axis', 'aria-hidden': 'true' },
      h('span', { class: 'strip-label' }),
      h('div', { class: 'strip-cells axis' },
        h('span', {}, layers[0]?.name ?? ''), h('span', {}, layers.length > 1 ? layers[layers.length - 1].name : ''))));

  const sourceCounts = new Map();
  layerSources.filter(Boolean).forEach((s) => sourceCounts.set(s, (sourceCounts.get(s) || 0) + 1));
  const legend = h('ul', { class: 'legend', 'aria-label': 'Precisions used' },
    [...colours.entries()].map(([id, c]) => h('li', {},
      h('span', { class: 'swatch', style: `background: ${c}` }), `${id} `, h('span', { class: 'muted' }, `× ${counts.get(id)}`))),
    [...sourceCounts.entries()].map(([s, n]) => h('li', { class: 'source-legend' },
      h('span', { class: 'swatch', style: `background: ${SOURCE_COLOURS[s] || '#dee2e6'}` }), `cost ${s} `, h('span', { class: 'muted' }, `× ${n}`))));

  const headers = ['#', 'Layer', 'Kind', 'Shape', 'Precision', 'Penalty', 'Latency', 'Bytes', 'BOPs'];
  if (hasSources) headers.push('Cost source');
  const rows = layers.map((l, i) => {
    const cost = costOf(i) || {};
    const cells = [
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'layer-name' }, l.name),
      h('td', {}, l.kind || '—'),
      h('td', {}, shape(l.shape)),
      h('td', { class: 'precision' }, h('span', { class: 'swatch', style: `background: ${colours.get(ids[i]) || '#ddd'}`, 'aria-hidden': 'true' }), ids[i] ?? '—'),
      h('td', { class: 'num' }, penaltyOf(i) === undefined ? '—' : num(penaltyOf(i))),
      h('td', { class: 'num' }, cost.latency === undefined ? '—' : metric('latency', cost.latency)),
      h('td', { class: 'num' }, cost.bytes === undefined ? '—' : metric('bytes', cost.bytes)),
      h('td', { class: 'num' }, cost.bops === undefined ? '—' : metric('bops', cost.bops)),
    ];
    if (hasSources) cells.push(h('td', { class: 'source' }, layerSources[i] || '—'));
    return h('tr', { dataset: { layer: l.name } }, cells);
  });
  const note = h('p', { class: 'hint' },
    hasSources
      ? 'Cost source per layer, as the search recorded it: user = the cost table the user gave, measured = the device\'s measured table, predicted = its calibrated model. '
      : 'The result does not say which costs were measured and which predicted. ',
    costs
      ? 'Per-layer latency, bytes and BOPs are from the device\'s current cost table for this network.'
      : 'The device has no cost table for this network (its costs come from its model), so per-layer latency, bytes and BOPs are not shown; the totals above include them.');
  return h('div', { class: 'layer-map' },
    strip,
    legend,
    note,
    table({ caption: 'Per-layer configuration', id: 'layer-table', headers, rows, numeric: [0, 5, 6, 7, 8] }));
}
