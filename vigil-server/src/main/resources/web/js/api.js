// The REST API as the page calls it: one place that adds the credentials, reads errors in the API's
// {code, message, fix} shape and reads server-sent events from a fetch (EventSource cannot send a token).

const BASE = '/api/v1';
const KEY = 'vigil.session';

/** An error answer of the API. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `the server answered ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.fix = body && body.fix;
    this.line = body && body.line;
    this.column = body && body.column;
  }
}

/**
 * Who is signed in: {mode: 'token' | 'cookie', token?, csrf?, name, tenants: [{tenant, role}], tenant}. A token is
 * kept in sessionStorage (gone when the tab closes); a login session lives in the server's HttpOnly cookie, and only
 * its CSRF token (not a secret from this page) is kept here.
 */
export const auth = {
  state: JSON.parse(sessionStorage.getItem(KEY) || 'null'),
  save(state) {
    this.state = state;
    if (state) sessionStorage.setItem(KEY, JSON.stringify(state));
    else sessionStorage.removeItem(KEY);
  },
  get tenant() { return this.state && this.state.tenant; },
  /** The role in the current tenant: reader, analyst, owner, ingest, or '' when unknown. */
  get role() {
    const s = this.state;
    const entry = s && (s.tenants || []).find(t => t.tenant === s.tenant);
    return entry ? entry.role : '';
  },
  /** Whether the role in the current tenant includes `needed` (the server's grants: owner > analyst > reader). */
  can(needed) {
    const s = this.state;
    const entry = s && (s.tenants || []).find(t => t.tenant === s.tenant);
    return !!entry && (entry.role === needed || (entry.grants || []).includes(needed));
  },
};

/** A path under the current tenant: tenant('/incidents') is /api/v1/tenants/<t>/incidents. */
export function tenant(path) {
  return `/tenants/${encodeURIComponent(auth.tenant)}${path}`;
}

function headers(body) {
  const out = {'Accept': 'application/json'};
  const s = auth.state;
  if (s && s.mode === 'token') out['Authorization'] = `Bearer ${s.token}`;
  if (s && s.csrf) out['X-CSRF-Token'] = s.csrf;
  if (body !== undefined) out['Content-Type'] = 'application/json';
  return out;
}

let onUnauthenticated = () => {};
/** What to do when the server says the credentials are gone (401): the app shows the login page. */
export function whenUnauthenticated(handler) { onUnauthenticated = handler; }

/** Calls the API; resolves with the JSON (or text) answer, rejects with an ApiError. */
export async function call(method, path, body, {raw = false} = {}) {
  const response = await fetch(BASE + path, {
    method, headers: headers(body), credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return read(response, raw);
}

async function read(response, raw) {
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    let body = null;
    try { body = type.includes('json') ? await response.json() : {message: await response.text()}; } catch (e) { /* empty */ }
    const error = new ApiError(response.status, body);
    if (response.status === 401) onUnauthenticated(error);
    throw error;
  }
  if (raw || !type.includes('json')) return response.text();
  return response.json();
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => call('PATCH', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = path => call('DELETE', path);

/**
 * POSTs and reads the answer as a file (a report as Markdown, HTML or PDF): {blob, name, type}; the name from the
 * server's Content-Disposition when it sends one.
 */
export async function download(path, body) {
  const h = headers(body);
  h['Accept'] = '*/*';
  const response = await fetch(BASE + path, {method: 'POST', headers: h, credentials: 'same-origin', body: JSON.stringify(body)});
  if (!response.ok) {
    await read(response, false);
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = disposition.match(/filename="?([^";]+)"?/);
  return {blob: await response.blob(), name: match ? match[1] : 'report', type: response.headers.get('Content-Type') || ''};
}

/**
 * POSTs and reads the answer as server-sent events, calling onEvent(name, data) for each as it arrives. Resolves
 * when the stream ends; an error before the stream starts rejects with an ApiError, as call() does.
 */
export async function stream(path, body, onEvent, signal) {
  const h = headers(body);
  h['Accept'] = 'text/event-stream';
  const response = await fetch(BASE + path, {
    method: 'POST', headers: h, credentials: 'same-origin', body: JSON.stringify(body), signal,
  });
  if (!response.ok || !(response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
    await read(response, false);
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}
