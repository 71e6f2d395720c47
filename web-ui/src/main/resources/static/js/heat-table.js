// A layers x precisions table whose cells are shaded by value within their row (log scale where
// the values allow), for profiles' penalties and devices' cost tables.
import { h } from './dom.js';
import { weightBits } from './precision.js';

/** Precision ids of per-layer maps, by weight bits then name. */
export function precisionColumns(maps) {
  const ids = new Set();
  maps.forEach((m) => Object.keys(m || {}).forEach((id) => ids.add(id)));
  return [...ids].sort((a, b) => (weightBits(a) ?? 99) - (weightBits(b) ?? 99) || a.localeCompare(b));
}

/**
 * rows: [{name, values: {precision: number}, titles?: {precision: text}}]; columns: precision ids;
 * format(number) -> text; hue: the shading colour.
 */
export function heatTable({ caption, id, rows, columns, format, hue = 28 }) {
  const shadeOf = (values) => {
    const numbers = columns.map((c) => values[c]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const positive = numbers.length && numbers.every((v) => v > 0);
    const f = positive ? Math.log : (v) => v;
    const lo = Math.min(...numbers.map(f));
    const hi = Math.max(...numbers.map(f));
    return (v) => (hi > lo ? (f(v) - lo) / (hi - lo) : 0);
  };
  const body = rows.map((row) => {
    const shade = shadeOf(row.values);
    return h('tr', { dataset: { layer: row.name } },
      h('th', { scope: 'row' }, row.name),
      columns.map((c) => {
        const v = row.values[c];
        if (typeof v !== 'number') return h('td', { class: 'num missing' }, '—');
        const t = shade(v);
        return h('td', {
          class: 'num heat-cell',
          style: `background: hsl(${hue} 85% ${Math.round(97 - t * 34)}%)`,
          title: row.titles && row.titles[c] ? row.titles[c] : `${row.name}, ${c}: ${format(v)}`,
          dataset: { precision: c },
        }, format(v));
      }));
  });
  return h('div', { class: 'table-scroll' },
    h('table', { id, class: 'heat' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer'), columns.map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', {}, body)));
}
