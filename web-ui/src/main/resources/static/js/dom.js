// Small DOM and formatting functions shared by the pages (no framework).

/**
 * Creates an element. `attrs`: `class`, `text`, `dataset` (object), `on` (object of listeners),
 * boolean attributes as true/false, anything else as an attribute; `null`/`undefined` are skipped.
 * Children: nodes, strings, arrays of them, or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === 'value' && 'value' in el) el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Replaces an element's children (nodes, strings, arrays, nulls skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, arrays, nulls skipped). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** A table with a caption (for screen readers), a header row and rows of cells (nodes or text). */
export function table({ caption, headers, rows, id, className, numeric = [] }) {
  const head = h('tr', {}, headers.map((name, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, name)));
  const body = rows.map((row) => (row instanceof Node ? row : h('tr', {}, row.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c)))));
  return h('div', { class: 'table-scroll' },
    h('table', { id, class: className },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, head),
      h('tbody', {}, body)));
}

/** A definition list from [term, description] pairs (descriptions may be nodes); empty values skipped. */
export function facts(pairs, className = 'facts') {
  return h('dl', { class: className },
    pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

const SI = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];

/** A number with 4 significant digits and an SI prefix for large values: 1.234 M. */
export function si(value, unit = '') {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  for (const [scale, prefix] of SI) {
    if (abs >= scale) return `${trim((value / scale).toPrecision(4))} ${prefix}${unit}`;
  }
  return `${num(value)}${unit ? ' ' + unit : ''}`;
}

/** A number with up to 6 significant digits, plainly written where reasonable. */
export function num(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e9) return trim(value.toPrecision(6));
  return value.toExponential(4);
}

function trim(text) {
  return text.includes('e') || !text.includes('.') ? text : text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Integer with thousands separators. */
export function int(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US');
}

/** The unit-aware formatting of a search metric. */
export function metric(name, value) {
  if (name === 'bytes') return si(value, 'B');
  if (name === 'bops') return si(value, 'BOPs');
  if (name === 'latency') return num(value);
  return num(value);
}

/** A proven gap: 0 = proven optimal, null = no proof. */
export function gap(value) {
  if (value === null || value === undefined) return 'no proof';
  if (value === 0) return '0 (proven optimal)';
  return `${num(value * 100)} %`;
}

/** A short time for tables: "23 Nov 20:04". */
export function whenShort(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
}

export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

/** A status badge: QUEUED, RUNNING, DONE, FAILED (and result statuses OPTIMAL, FEASIBLE, INFEASIBLE). */
export function badge(status) {
  return h('span', { class: `badge badge-${String(status || 'unknown').toLowerCase()}` }, status || '—');
}

/** A progress bar with a text equivalent. */
export function progress(fraction, label) {
  const value = fraction === null || fraction === undefined ? null : Math.max(0, Math.min(1, fraction));
  const bar = h('progress', { max: 1, 'aria-label': label });
  if (value !== null) bar.value = value;
  return h('span', { class: 'progress' }, bar, h('span', { class: 'progress-text' }, value === null ? '' : `${Math.round(value * 100)} %`));
}

/** A message for a failed load, with the problem's detail when the API sent one. */
export function failure(error) {
  return h('p', { class: 'error', role: 'alert' }, error && error.message ? error.message : String(error));
}

/** Announces a short text to screen readers. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 30);
  }
}

/** Shape [768, 3072] as "768 × 3072". */
export function shape(dims) {
  return Array.isArray(dims) && dims.length ? dims.join(' × ') : '—';
}

/** Offers `data` as a JSON file download named `name`. */
export function downloadJson(name, data) {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
