// Searches: every search with its status and progress (polled while some are unfinished and the page
// is visible; plain requests, no stream), engine, seed, points and largest gap; and the form that
// submits a new search.
import { api, finished, finishedSearch } from '../api.js';
import { h, table, badge, progress, whenShort, when, num, int } from '../dom.js';
import { searchForm } from '../search-form.js';

const POLL_MILLIS = 1500;
const RESULT_ROWS = 30;

export async function renderSearches(ctx) {
  ctx.setTitle('Searches');
  const [searches, networks, devices] = await Promise.all([
    api.searches(null, ctx.signal), api.networks(ctx.signal), api.devices(ctx.signal),
  ]);
  const listSection = h('section', { class: 'panel', 'aria-labelledby': 'searches-list-title' },
    h('h2', { id: 'searches-list-title' }, 'All searches'));
  const formSection = h('section', { class: 'panel', 'aria-labelledby': 'new-search-title' },
    h('h2', { id: 'new-search-title' }, 'New search'),
    searchForm(ctx, {
      networks,
      devices,
      preset: {
        networkId: ctx.query.get('network'),
        profileId: ctx.query.get('profile'),
        deviceId: ctx.query.get('device'),
      },
    }));
  ctx.view.append(
    h('h1', {}, 'Searches'),
    h('div', { class: 'columns' }, listSection, formSection));

  const list = searchList(ctx, searches);
  listSection.append(list.element);
  list.update(searches);
  pollWhileUnfinished(ctx, () => api.searches(null, ctx.signal), list.update, searches);
}

/** Re-reads the list while any search is unfinished, the page is open and the tab is visible. */
export function pollWhileUnfinished(ctx, load, update, initial) {
  let timer = null;
  let latest = initial;
  const unfinished = () => latest.some((s) => !finished(s.status));
  const schedule = () => {
    clearTimeout(timer);
    if (ctx.active() && unfinished() && document.visibilityState === 'visible') {
      timer = setTimeout(tick, POLL_MILLIS);
    }
  };
  const tick = async () => {
    try {
      latest = await load();
      if (ctx.active()) update(latest);
    } catch (error) {
      if (error.name === 'AbortError') return;
      console.warn('polling searches:', error.message);
    }
    schedule();
  };
  const onVisibility = () => schedule();
  document.addEventListener('visibilitychange', onVisibility);
  ctx.onCleanup(() => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
  schedule();
}

/** The table of searches; update(searches) re-renders rows and fills points/gaps of finished ones. */
export function searchList(ctx, initial, { caption = 'Searches, newest first' } = {}) {
  const element = h('div', { class: 'search-list' });
  const update = (searches) => {
    if (!searches.length) {
      element.replaceChildren(h('p', { class: 'muted', id: 'no-searches' },
        'No searches yet. Submit one with the form, or POST /api/searches.'));
      return;
    }
    const withResult = new Set(searches.filter((s) => s.status === 'DONE').slice(0, RESULT_ROWS).map((s) => s.id));
    const rows = searches.map((s) => {
      const points = h('td', { class: 'num points' }, withResult.has(s.id) ? '…' : '—');
      const maxGap = h('td', { class: 'num gap' }, withResult.has(s.id) ? '…' : '—');
      const status = h('td', { class: 'status' }, badge(s.status),
        s.status === 'RUNNING' || s.status === 'QUEUED' ? progress(s.progress, `Progress of search ${s.id}`) : null,
        s.status === 'FAILED' && s.error ? h('span', { class: 'error-text', title: s.error }, ' ' + truncate(s.error, 60)) : null);
      return h('tr', { dataset: { id: s.id, status: s.status } },
        h('td', {}, h('a', { href: `#/searches/${s.id}`, 'aria-label': `Search ${s.id}` }, `#${s.id}`),
          s.reason && s.reason !== 'user' ? h('span', { class: 'hint', title: `reason: ${s.reason}` }, ` ${s.reason}`) : null),
        h('td', {}, h('a', { href: `#/networks/${s.networkId}` }, s.networkName)),
        h('td', {}, s.deviceId ? h('a', { href: `#/devices/${s.deviceId}` }, s.deviceName) : '—'),
        status,
        h('td', {}, s.engine || h('span', { class: 'muted' }, 'best exact')),
        h('td', { class: 'num' }, String(s.seed)),
        points, maxGap,
        h('td', { class: 'created', title: when(s.createdAt) }, whenShort(s.createdAt)));
    });
    element.replaceChildren(table({
      caption,
      id: 'searches',
      headers: ['Search', 'Network', 'Device', 'Status', 'Engine', 'Seed', 'Points', 'Largest gap', 'Created'],
      rows,
      numeric: [5, 6, 7],
    }));
    searches.filter((s) => withResult.has(s.id)).forEach(async (s) => {
      try {
        const full = await finishedSearch(s.id, ctx.signal);
        const row = element.querySelector(`tr[data-id="${s.id}"]`);
        if (!row || !full.result) return;
        const pts = full.result.points || [];
        row.querySelector('.points').textContent = int(pts.length);
        row.querySelector('.gap').textContent = pts.length ? shortGap(largestGap(pts)) : '—';
      } catch (error) {
        if (error.name !== 'AbortError') console.warn(error.message);
      }
    });
  };
  update(initial);
  return { element, update };
}

/** The largest gap of a front: null when any point has no proof. */
export function largestGap(points) {
  let largest = 0;
  for (const p of points) {
    if (p.gap === null || p.gap === undefined) return null;
    largest = Math.max(largest, p.gap);
  }
  return largest;
}

/** A gap for the list: "0 (proven)", "1.2 %", "no proof". */
function shortGap(value) {
  if (value === null) return 'no proof';
  return value === 0 ? '0 (proven)' : `${num(value * 100)} %`;
}

function truncate(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
