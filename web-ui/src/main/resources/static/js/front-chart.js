// The Pareto front chart: ECharts (WebJar, loaded only when a search page shows a front) drawing one
// scatter series per front (the search's own and overlaid fronts of other devices), a staircase
// through the search's own front when the x axis is its front metric, validated points' measured
// latency as hollow diamonds joined to their prediction (when x is latency), and a ring on the
// selected point. Hover shows a point's metrics and gap; click, or the arrow keys on the focused
// chart, select a point.
import { metric, gap, num, si } from './dom.js';

export const ECHARTS_URL = '/webjars/echarts/5.3.1/dist/echarts.min.js';
const ORDER = ['penalty', 'latency', 'bytes', 'bops'];
const LABELS = { penalty: 'penalty', latency: 'latency', bytes: 'memory (bytes)', bops: 'BOPs' };
const COLOURS = ['#2f6fed', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#e67700'];

let loading = null;

/** Loads the chart library once (a classic script: it defines window.echarts). */
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = ECHARTS_URL;
      script.onload = () => resolve(window.echarts);
      script.onerror = () => { loading = null; reject(new Error(`Cannot load the chart library from ${ECHARTS_URL}`)); };
      document.head.append(script);
    });
  }
  return loading;
}

export function metricLabel(name) {
  return LABELS[name] || name;
}

/** A point's metrics in the dashboard's order (penalty, latency, bytes, BOPs, then any others). */
export function orderedMetrics(metrics) {
  const rank = (k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return Object.entries(metrics).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export function seriesColour(index) {
  return COLOURS[index % COLOURS.length];
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/**
 * Creates the chart in `element`. onSelect(frontKey, pointIndex) is called on click or keyboard
 * selection. Returns {update(state), select(frontKey, index), resize(), dispose()}; `state` is
 * {fronts: [{key, name, points, colour, frontMetric}], x, y, logX, logY}.
 */
export function frontChart(echarts, element, { onSelect }) {
  const chart = echarts.init(element, null, { renderer: 'canvas' });
  let state = null;
  let selected = null; // {key, index}

  const front = (key) => state.fronts.find((f) => f.key === key);

  const render = () => {
    const { fronts, x, y, logX, logY } = state;
    const series = [];
    fronts.forEach((f) => {
      series.push({
        id: `front-${f.key}`,
        name: f.name,
        type: 'scatter',
        symbolSize: f.primary ? 10 : 8,
        itemStyle: { color: f.colour, opacity: f.primary ? 0.95 : 0.8 },
        emphasis: { scale: 1.5, focus: 'none' },
        z: f.primary ? 4 : 3,
        data: f.points.map((p, i) => [p.metrics[x], p.metrics[y], i]),
      });
      const measured = (f.measured || []).filter((m) => x === 'latency' && f.points[m.index]);
      if (measured.length) {
        series.push({
          id: `measured-${f.key}`,
          name: `${f.name} measured`,
          type: 'scatter',
          symbol: 'diamond',
          symbolSize: 13,
          z: 6,
          itemStyle: { color: '#ffffff', borderColor: f.colour, borderWidth: 2 },
          data: measured.map((m) => [m.latency, f.points[m.index].metrics[y], m.index]),
          markLine: {
            silent: true,
            symbol: 'none',
            label: { show: false },
            lineStyle: { color: f.colour, type: 'dashed', width: 1.2 },
            data: measured.map((m) => [
              { coord: [f.points[m.index].metrics.latency, f.points[m.index].metrics[y]] },
              { coord: [m.latency, f.points[m.index].metrics[y]] },
            ]),
          },
        });
      }
      if (f.frontMetric === x && f.points.length > 1) {
        series.push({
          id: `stairs-${f.key}`,
          name: f.name,
          type: 'line',
          step: 'end',
          silent: true,
          symbol: 'none',
          z: 2,
          lineStyle: { color: f.colour, width: 1, opacity: 0.45 },
          data: f.points.map((p) => [p.metrics[x], p.metrics[y]]).sort((a, b) => a[0] - b[0]),
          tooltip: { show: false },
        });
      }
    });
    const chosen = selected && front(selected.key) && front(selected.key).points[selected.index];
    series.push({
      id: 'selected',
      name: 'selected point',
      type: 'scatter',
      silent: true,
      symbolSize: 20,
      z: 10,
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#111', borderWidth: 2.5 },
      data: chosen ? [[chosen.metrics[x], chosen.metrics[y]]] : [],
      tooltip: { show: false },
    });
    const legend = series.filter((s) => s.type === 'scatter' && s.id !== 'selected').map((s) => s.name);
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      grid: { left: 16, right: 28, top: legend.length > 1 ? 48 : 24, bottom: 40, containLabel: true },
      legend: legend.length > 1 ? { top: 4, data: legend, type: 'scroll' } : { show: false },
      tooltip: {
        trigger: 'item',
        confine: true,
        className: 'front-tooltip',
        formatter: (params) => {
          const measuredFront = fronts.find((fr) => `measured-${fr.key}` === params.seriesId);
          if (measuredFront) {
            const m = measuredFront.measured.find((v) => v.index === params.data[2]);
            const predicted = measuredFront.points[m.index].metrics.latency;
            return `<div class="tip-title">${escapeHtml(measuredFront.name)}: point ${m.index + 1} measured</div><table>`
              + `<tr><th>measured latency</th><td>${escapeHtml(num(m.latency))}</td></tr>`
              + `<tr><th>predicted latency</th><td>${escapeHtml(num(predicted))}</td></tr>`
              + `<tr><th>error</th><td>${escapeHtml(m.error === null || m.error === undefined ? '—' : `${num(m.error * 100)} %`)}</td></tr></table>`;
          }
          const f = fronts.find((fr) => `front-${fr.key}` === params.seriesId);
          if (!f) return '';
          const index = params.data[2];
          const p = f.points[index];
          const rows = orderedMetrics(p.metrics).map(([k, v]) => `<tr><th>${escapeHtml(metricLabel(k))}</th><td>${escapeHtml(metric(k, v))}</td></tr>`);
          rows.push(`<tr><th>gap</th><td>${escapeHtml(gap(p.gap))}</td></tr>`);
          return `<div class="tip-title">${escapeHtml(f.name)}: point ${index + 1} of ${f.points.length}</div><table>${rows.join('')}</table>`;
        },
      },
      xAxis: {
        type: logX ? 'log' : 'value', scale: true, name: metricLabel(x), nameLocation: 'middle', nameGap: 28,
        axisLabel: { formatter: (v) => axisText(x, v), hideOverlap: true },
        splitLine: { lineStyle: { color: '#eceff3' } },
      },
      yAxis: {
        type: logY ? 'log' : 'value', scale: true, name: metricLabel(y), nameLocation: 'end', nameGap: 10,
        nameTextStyle: { align: 'left' },
        axisLabel: { formatter: (v) => axisText(y, v), hideOverlap: true },
        splitLine: { lineStyle: { color: '#eceff3' } },
      },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'shift', moveOnMouseWheel: false },
        { type: 'inside', yAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'shift', moveOnMouseWheel: false },
      ],
      series,
    }, { notMerge: true });
  };

  chart.on('click', (params) => {
    const id = String(params.seriesId);
    if (params.componentType !== 'series') return;
    const prefix = ['front-', 'measured-'].find((p) => id.startsWith(p));
    if (prefix) onSelect(id.slice(prefix.length), params.data[2]);
  });

  // Keyboard: arrows move along the selected front (or the search's own) in x order.
  element.addEventListener('keydown', (event) => {
    if (!state) return;
    const key = selected && front(selected.key) ? selected.key : state.fronts[0].key;
    const f = front(key);
    const order = f.points.map((p, i) => i).sort((a, b) => f.points[a].metrics[state.x] - f.points[b].metrics[state.x]);
    const at = selected && selected.key === key ? order.indexOf(selected.index) : -1;
    let next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') next = order[Math.min(order.length - 1, at + 1)];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') next = order[Math.max(0, at < 0 ? 0 : at - 1)];
    else if (event.key === 'Home') next = order[0];
    else if (event.key === 'End') next = order[order.length - 1];
    else return;
    event.preventDefault();
    onSelect(key, next);
    const seriesIndex = chart.getOption().series.findIndex((s) => s.id === `front-${key}`);
    chart.dispatchAction({ type: 'showTip', seriesIndex, dataIndex: next });
  });

  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);

  return {
    update(next) { state = next; render(); },
    select(key, index) { selected = { key, index }; if (state) render(); },
    resize: onResize,
    dispose() { window.removeEventListener('resize', onResize); chart.dispose(); },
  };
}

function axisText(name, value) {
  return name === 'bytes' || name === 'bops' ? si(value) : num(value);
}
