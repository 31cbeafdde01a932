// The page's shell: who is signed in, the tenant switcher, the navigation and the hash router (#/ask,
// #/incidents/3, ...). Each page is a module whose render(main, params) fills <main>.

import {h, replace, errorBox} from './dom.js';
import {auth, whenUnauthenticated} from './api.js';
import * as login from './login.js';

const pages = {
  ask: () => import('./ask.js'),
  incidents: () => import('./incidents.js'),
  posture: () => import('./posture.js'),
  hunt: () => import('./hunt.js'),
  reports: () => import('./reports.js'),
  settings: () => import('./settings.js'),
};

const main = document.getElementById('main');
let cleanup = null;
let resumed = false;

/** The route of a hash: #/incidents/3?status=new is {page: 'incidents', rest: ['3'], query: URLSearchParams}. */
export function parse(hash) {
  const [path, search] = (hash.replace(/^#\/?/, '') || 'ask').split('?');
  const [page, ...rest] = path.split('/').map(decodeURIComponent);
  return {page, rest, query: new URLSearchParams(search || '')};
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route(event) {
  const changed = !!event;
  if (cleanup) { try { cleanup(); } catch (e) { /* a page's cleanup never blocks the next one */ } cleanup = null; }
  const {page, rest, query} = parse(location.hash);
  if (!auth.state && !resumed) {
    resumed = true;
    if (await login.resume()) return route();
  }
  if (!auth.state || page === 'login' || auth.state.mustChange) {
    shell(false);
    cleanup = login.render(main, {onSignedIn: signedIn});
    return;
  }
  shell(true);
  const load = pages[page];
  if (!load) {
    replace(main, h('h1', 'Not found'), h('p', 'There is no page ', h('code', page), '. ', h('a', {href: '#/ask'}, 'Ask Vigil')));
    return;
  }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (auth.role === 'ingest') {
    replace(main, h('h1', 'Ingest only'), h('p', `Your role in tenant ${auth.tenant} only sends data`
      + ' (POST .../ingest); it reads nothing here. Switch tenant, or ask an owner for the reader role.'));
    return;
  }
  // each visit renders into its own container: what a page left loading writes into a detached one, never over
  // the page shown since
  const view = h('div.view');
  replace(main, view);
  try {
    const module = await load();
    const done = await module.render(view, {rest, query});
    if (view.isConnected) cleanup = done || null;
    else if (done) done();
  } catch (error) {
    replace(view, errorBox(error));
  }
  document.title = `${(main.querySelector('h1') || {}).textContent || 'Vigil'} · Vigil`;
  // after a page change, keyboard and screen reader users continue from the new page, not from a removed element
  // (not on the first load, where the first Tab reaches the skip link)
  if (changed && (!document.activeElement || document.activeElement === document.body)) main.focus({preventScroll: true});
}

function shell(visible) {
  const top = document.getElementById('top');
  top.hidden = !visible;
  if (!visible) return;
  const s = auth.state;
  const select = document.getElementById('tenant-switch');
  const tenants = s.tenants && s.tenants.length ? s.tenants : [{tenant: s.tenant, role: ''}];
  replace(select, tenants.map(t => h('option', {value: t.tenant, selected: t.tenant === s.tenant},
    t.role ? `${t.tenant} (${t.role})` : t.tenant)));
  select.hidden = tenants.length < 2;
  replace(document.getElementById('who'), s.name || '', auth.role ? ` · ${auth.role}` : '',
    tenants.length < 2 ? ` · ${s.tenant}` : '');
}

function signedIn() {
  const {page} = parse(location.hash);
  navigate(page === 'login' || !pages[page] ? '#/ask' : location.hash);
}

document.getElementById('tenant-switch').addEventListener('change', event => {
  auth.save({...auth.state, tenant: event.target.value});
  // the page's list of the new tenant (an incident or session number means something else there)
  navigate(`#/${parse(location.hash).page}`);
});

document.getElementById('logout').addEventListener('click', async () => {
  await login.signOut();
  navigate('#/login');
});

whenUnauthenticated(() => {
  if (auth.state) {
    auth.save(null);
    navigate('#/login');
  }
});

// the skip link moves focus into the page; as a plain #main link it would change the route
document.querySelector('a.skip').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', route);
route();
