// MPQ dashboard, first version: searches, a finished search's front, a point's configuration.
const $ = (selector) => document.querySelector(selector);

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

async function loadSearches() {
  const searches = await getJson('/api/searches');
  const body = $('#searches tbody');
  body.replaceChildren();
  $('#no-searches').hidden = searches.length > 0;
  for (const s of searches) {
    const row = document.createElement('tr');
    row.className = 'clickable';
    row.tabIndex = 0;
    row.dataset.id = s.id;
    row.append(cell(s.id), cell(s.networkName), cell(s.deviceName), cell(s.status), cell(s.engine), cell(''));
    row.addEventListener('click', () => showSearch(s.id));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') showSearch(s.id); });
    body.append(row);
  }
}

function frontMetric(search) {
  const request = search.request || {};
  if (request.front && request.front.length) return request.front[0];
  const budgets = Object.keys(request.budgets || request.relativeBudgets || {});
  return budgets[0] || 'bytes';
}

async function showSearch(id) {
  const search = await getJson(`/api/searches/${id}`);
  $('#search').hidden = false;
  $('#search-title').textContent = `Search #${search.id}: ${search.networkName} on ${search.deviceName ?? '—'}`;
  const result = search.result;
  $('#search-summary').textContent = result
    ? `${result.status}: ${result.points.length} point(s). ${result.message}`
    : `${search.status}${search.error ? ': ' + search.error : ''}`;
  document.querySelectorAll('#searches tbody tr').forEach((r) => r.classList.toggle('selected', r.dataset.id == id));
  drawFront(result ? result.points : [], search.request.minimize || 'penalty', frontMetric(search));
}

function drawFront(points, yMetric, xMetric) {
  const chart = $('#chart');
  chart.replaceChildren();
  $('#choices tbody').replaceChildren();
  if (!points.length) return;
  const width = 800, height = 400, pad = 60;
  const xs = points.map((p) => p.metrics[xMetric]);
  const ys = points.map((p) => p.metrics[yMetric]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (v) => pad + (x1 === x0 ? 0.5 : (v - x0) / (x1 - x0)) * (width - 2 * pad);
  const sy = (v) => height - pad - (y1 === y0 ? 0.5 : (v - y0) / (y1 - y0)) * (height - 2 * pad);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const label = (text, x, y, anchor) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', x); t.setAttribute('y', y); t.setAttribute('text-anchor', anchor);
    t.textContent = text; svg.append(t);
  };
  label(xMetric, width / 2, height - 15, 'middle');
  label(yMetric, 15, pad - 20, 'start');
  label(x0.toPrecision(4), pad, height - pad + 20, 'start');
  label(x1.toPrecision(4), width - pad, height - pad + 20, 'end');
  label(y1.toPrecision(4), pad - 5, pad, 'end');
  label(y0.toPrecision(4), pad - 5, height - pad, 'end');
  points.forEach((p, i) => {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('class', 'point');
    c.setAttribute('cx', sx(xs[i])); c.setAttribute('cy', sy(ys[i])); c.setAttribute('r', 5);
    c.setAttribute('tabindex', '0');
    c.dataset.index = i;
    const title = document.createElementNS(ns, 'title');
    title.textContent = Object.entries(p.metrics).map(([k, v]) => `${k}: ${v.toPrecision(6)}`).join('\n') + `\ngap: ${p.gap}`;
    c.append(title);
    c.addEventListener('click', () => showPoint(p, c));
    c.addEventListener('keydown', (e) => { if (e.key === 'Enter') showPoint(p, c); });
    svg.append(c);
  });
  chart.append(svg);
}

function showPoint(point, circle) {
  document.querySelectorAll('circle.point').forEach((c) => c.classList.remove('selected'));
  circle.classList.add('selected');
  $('#point-summary').textContent = Object.entries(point.metrics).map(([k, v]) => `${k} ${v.toPrecision(6)}`).join(' · ') + ` · gap ${point.gap}`;
  const body = $('#choices tbody');
  body.replaceChildren();
  for (const [layer, precision] of Object.entries(point.choices)) {
    const row = document.createElement('tr');
    row.append(cell(layer), cell(precision));
    body.append(row);
  }
}

loadSearches().catch((e) => { $('#no-searches').hidden = false; $('#no-searches').textContent = e.message; });
