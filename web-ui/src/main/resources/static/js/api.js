// The REST API under /api, as plain fetch calls. Errors arrive as RFC 9457 problem details
// {status, title, detail, errors: [{field, message}]} and are thrown as ApiError.

/** A failed API call; `errors` holds the problem's field-level errors (possibly empty). */
export class ApiError extends Error {
  constructor(url, status, problem) {
    const detail = problem && (problem.detail || problem.title);
    super(detail ? `${detail}` : `${url} answered ${status}`);
    this.url = url;
    this.status = status;
    this.problem = problem || null;
    this.errors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
  }
}

async function send(method, url, body, signal) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(url, response.status, data);
  return { status: response.status, location: response.headers.get('Location'), body: data };
}

export async function get(url, signal) {
  return (await send('GET', url, undefined, signal)).body;
}

export function post(url, body) {
  return send('POST', url, body);
}

export const api = {
  networks: (signal) => get('/api/networks', signal),
  network: (id, signal) => get(`/api/networks/${id}`, signal),
  profiles: (networkId, signal) => get(`/api/networks/${networkId}/profiles`, signal),
  profile: (id, signal) => get(`/api/profiles/${id}`, signal),
  devices: (signal) => get('/api/devices', signal),
  device: (id, signal) => get(`/api/devices/${id}`, signal),
  costTable: (deviceId, networkId, signal) => get(`/api/devices/${deviceId}/cost-tables/${networkId}`, signal),
  searches: (networkId, signal) => get(networkId ? `/api/searches?networkId=${networkId}` : '/api/searches', signal),
  search: (id, signal) => get(`/api/searches/${id}`, signal),
  submitSearch: (request) => post('/api/searches', request),
  /** The URL of a search's server-sent events (opened only by the search page). */
  searchEvents: (id) => `/api/searches/${id}/events`,
  standingSearches: (networkId, signal) => get(`/api/networks/${networkId}/standing-searches`, signal),
  validations: (searchId, signal) => get(`/api/searches/${searchId}/validations`, signal),
  formats: (deviceId, signal) => get(`/api/devices/${deviceId}/formats`, signal),
  workers: (deviceId, signal) => get(`/api/devices/${deviceId}/workers`, signal),
  tasks: (deviceId, signal) => get(`/api/devices/${deviceId}/tasks`, signal),
  measurements: (deviceId, signal) => get(`/api/devices/${deviceId}/measurements`, signal),
};

/** Search statuses after which nothing changes. */
export function finished(status) {
  return status === 'DONE' || status === 'FAILED';
}

/** Results of finished searches never change: kept for the session. */
const results = new Map();

export async function finishedSearch(id, signal) {
  if (results.has(id)) return results.get(id);
  const search = await api.search(id, signal);
  if (finished(search.status)) results.set(id, search);
  return search;
}
