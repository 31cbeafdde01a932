// Settings: your account and tenants, the tenant's skills (built in and from plugins) and promptbooks, and where
// users, tokens, plugins, the model and data policy and tenants are managed. Sections without an API route yet
// are read-only and say which command manages them.

import {h, replace, errorBox, table} from './dom.js';
import {auth, get, post, tenant} from './api.js';

const MANAGED = [
  ['Users', /\/users/, 'vigil users add|list|passwd|remove, and roles per tenant with vigil users grant'],
  ['API tokens', /\/tokens/, 'vigil tokens create|list|revoke'],
  ['Plugins', /\/plugins/, 'vigil plugins install|list|enable|disable'],
  ['Model and data policy', /\/model|\/policy/, 'the model section of vigil.yaml (vigil config --help)'],
  ['Tenants', /\/tenants$/, 'a tenant is created by its first ingest (vigil ingest --tenant T)'],
];

export async function render(main) {
  replace(main, h('h1', 'Settings'), h('p.loading', 'Loading…'));
  const s = auth.state;
  const sections = [h('h1', 'Settings'),
    h('section.panel', {'aria-labelledby': 'account-title'}, h('h2#account-title', 'Your account'),
      h('p', `Signed in as ${s.name} ${s.mode === 'token' ? 'with an API token' : 'with a login session'}.`),
      table(['tenant', 'role'], (s.tenants || []).map(t => [t.tenant, t.role]), {caption: 'Your tenants and roles'}),
      s.mode === 'cookie' ? passwordForm() : null)];
  try {
    const [openapi, skills, books] = await Promise.all([get('/openapi.json'), get(tenant('/copilot/skills')),
      get(tenant('/copilot/promptbooks'))]);
    const paths = Object.keys(openapi.paths || {});
    sections.push(
      h('section.panel', {'aria-labelledby': 'managed-title'}, h('h2#managed-title', 'Administration'),
        table(['setting', 'in this UI', 'managed with'], MANAGED.map(([name, pattern, cli]) => {
          const routes = paths.filter(p => pattern.test(p));
          return [name, routes.length ? `API: ${routes.join(', ')}` : 'read-only: no API route yet', cli];
        }), {caption: 'Where each setting is managed'})),
      h('section.panel', {'aria-labelledby': 'skills-title'}, h('h2#skills-title', `Skills of ${auth.tenant}`),
        table(['skill', 'category', 'what it does'], skills.skills.map(k => [`/${k.name}`, k.category, k.description]),
          {caption: 'Skills, including those plugins add'})),
      h('section.panel', {'aria-labelledby': 'books-title'}, h('h2#books-title', 'Promptbooks'),
        table(['name', 'source', 'prompts', 'description'], books.promptbooks.map(b => [b.name, b.source, b.prompts, b.description]),
          {caption: 'Promptbooks'})));
  } catch (error) {
    sections.push(errorBox(error));
  }
  replace(main, sections);
}

function passwordForm() {
  const current = h('input#s-current', {type: 'password', autocomplete: 'current-password', required: true});
  const next = h('input#s-new', {type: 'password', autocomplete: 'new-password', required: true, minlength: 12});
  const result = h('div', {'aria-live': 'polite'});
  return h('form.inline-form', {'aria-label': 'Change your password', onsubmit: async event => {
    event.preventDefault();
    try {
      await post('/password', {current: current.value, new: next.value});
      current.value = next.value = '';
      replace(result, h('p.ok', 'Password changed; your other sessions were signed out.'));
    } catch (error) {
      replace(result, errorBox(error));
    }
  }}, h('h3', 'Change your password'), h('label', {for: 's-current'}, 'Current password'), current,
  h('label', {for: 's-new'}, 'New password'), next, h('button', {type: 'submit'}, 'Change password'), result);
}
