// MPQ dashboard: hash routes (#/searches/12) so that GET / stays a plain 200 page. Each page is an
// ES module exporting render(ctx); ctx.signal aborts its fetches and ctx.onCleanup(fn) registers
// what to stop (polling, event streams, charts) when the user leaves the page.
import { h, failure, announce } from './js/dom.js';
import { renderSearches } from './js/pages/searches.js';
import { renderSearch } from './js/pages/search.js';
import { renderNetworks, renderNetwork } from './js/pages/networks.js';
import { renderDevices, renderDevice } from './js/pages/devices.js';

const routes = [
  { pattern: /^\/?$/, nav: 'searches', render: renderSearches },
  { pattern: /^\/searches\/?$/, nav: 'searches', render: renderSearches },
  { pattern: /^\/searches\/(\d+)\/?$/, nav: 'searches', render: renderSearch },
  { pattern: /^\/networks\/?$/, nav: 'networks', render: renderNetworks },
  { pattern: /^\/networks\/(\d+)\/?$/, nav: 'networks', render: renderNetwork },
  { pattern: /^\/devices\/?$/, nav: 'devices', render: renderDevices },
  { pattern: /^\/devices\/(\d+)\/?$/, nav: 'devices', render: renderDevice },
];

const view = document.getElementById('view');
let current = null;
let firstRender = true;

function parseHash() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  const [path, query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

async function route() {
  if (current) current.stop();
  const { path, query } = parseHash();
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (match && a.dataset.nav === match.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const controller = new AbortController();
  const cleanups = [];
  const page = {
    stop() {
      controller.abort();
      cleanups.splice(0).forEach((fn) => { try { fn(); } catch (e) { console.warn(e); } });
    },
  };
  current = page;
  view.replaceChildren();
  view.setAttribute('aria-busy', 'true');
  const ctx = {
    view,
    params: match ? match.m.slice(1) : [],
    query,
    signal: controller.signal,
    onCleanup: (fn) => cleanups.push(fn),
    /** True while the user is still on this page (navigation aborts it). */
    active: () => current === page && !controller.signal.aborted,
    setTitle: (title) => { document.title = `${title} · MPQ`; },
  };
  try {
    if (!match) {
      ctx.setTitle('Not found');
      view.append(h('h1', { tabindex: -1 }, 'Page not found'), h('p', {}, h('a', { href: '#/searches' }, 'Go to the searches')));
    } else {
      await match.r.render(ctx);
    }
  } catch (error) {
    if (error.name === 'AbortError' || !ctx.active()) return;
    console.warn(error);
    view.append(failure(error));
  }
  if (!ctx.active()) return;
  view.setAttribute('aria-busy', 'false');
  const heading = view.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    if (!firstRender) heading.focus({ preventScroll: false });
    announce(heading.textContent);
  }
  firstRender = false;
}

window.addEventListener('hashchange', route);
route();
