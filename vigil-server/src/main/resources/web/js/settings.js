// Settings: your account and tenants, the tenant's skills (built in and from plugins) and promptbooks, and where
// users, tokens, plugins, the model and data policy and tenants are managed. Sections without an API route yet
// are read-only and say which command manages them.

import {h, replace, errorBox, table, when, announce} from './dom.js';
import {auth, get, post, put, del, tenant} from './api.js';

const ROLES = ['reader', 'analyst', 'owner', 'ingest'];

const MANAGED = [
  ['Users and their roles', /\/members/, 'vigil users add|list|passwd|grant|remove'],
  ['API tokens', /\/tokens/, 'vigil tokens create|list|revoke'],
  ['Connectors', /\/connectors/, 'vigil connectors add|list|test|run'],
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
    if (auth.can('owner')) {
      sections.push(await members(), await tokens(), await connectors());
    } else {
      sections.push(h('section.panel', {'aria-labelledby': 'connectors-title'}, h('h2#connectors-title', 'Connectors'),
        h('p', `Connectors (Microsoft Graph Security, Sentinel, Log Analytics, Defender, Splunk) hold the tenant's`
          + ` credentials, so only the tenant's owners see and manage them; your role in ${auth.tenant} is`
          + ` ${auth.role || 'not owner'}. Ask an owner, or use \`vigil connectors\` with an owner's access.`)));
    }
    sections.push(
      h('section.panel', {'aria-labelledby': 'managed-title'}, h('h2#managed-title', 'Administration'),
        table(['setting', 'in this UI', 'managed with'], MANAGED.map(([name, pattern, cli]) => {
          const routes = paths.filter(p => pattern.test(p));
          return [name, routes.length ? (auth.can('owner') ? 'above' : 'needs the owner role') : 'read-only: no API route yet', cli];
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

// --- members and tokens (owners) -----------------------------------------------------------------------------

async function members() {
  const section = h('section.panel', {'aria-labelledby': 'members-title'});
  const reload = async () => section.replaceWith(await members());
  const result = h('div', {'aria-live': 'polite'});
  try {
    const {members: list} = await get(tenant('/members'));
    const name = h('input#m-user', {required: true, autocomplete: 'off'});
    const role = h('select#m-role', ROLES.map(r => h('option', {value: r}, r)));
    replace(section, h('h2#members-title', `Members of ${auth.tenant}`),
      table(['user', 'role', 'password', ''], list.map(m => [m.user, m.role, m.password, m.user]), {caption: 'Users with a role here',
        cell: (value, c) => c === 3 ? (value === auth.state.name ? '' : h('button.small', {type: 'button',
          'aria-label': `Remove ${value} from ${auth.tenant}`, onclick: async () => {
            try { await del(tenant(`/members/${encodeURIComponent(value)}`)); announce(`${value} removed`); reload(); }
            catch (error) { replace(result, errorBox(error)); }
          }}, 'Remove')) : String(value)}),
      h('form.row-form', {'aria-label': 'Give a user a role', onsubmit: async event => {
        event.preventDefault();
        try {
          const member = await put(tenant(`/members/${encodeURIComponent(name.value.trim())}`), {role: role.value});
          await reload();
          const shown = document.getElementById('members-title').closest('section');
          if (member.one_time_password) {
            shown.append(h('p.secret', {role: 'status'}, `New user ${member.user}: one-time password `,
              h('code', member.one_time_password), ' (shown once; they choose their own at first sign-in).'));
          }
        } catch (error) {
          replace(result, errorBox(error));
        }
      }}, h('label', {for: 'm-user'}, 'User'), name, h('label', {for: 'm-role'}, 'Role'), role,
      h('button', {type: 'submit'}, 'Give role')), result);
  } catch (error) {
    replace(section, h('h2#members-title', 'Members'), errorBox(error));
  }
  return section;
}

async function tokens() {
  const section = h('section.panel', {'aria-labelledby': 'tokens-title'});
  const reload = async () => section.replaceWith(await tokens());
  const result = h('div', {'aria-live': 'polite'});
  try {
    const {tokens: list} = await get(tenant('/tokens'));
    const name = h('input#t-name', {required: true, autocomplete: 'off', placeholder: 'e.g. fluent-bit'});
    const role = h('select#t-role', ROLES.map(r => h('option', {value: r}, r)));
    const days = h('input#t-days', {type: 'number', min: 1, max: 3650, placeholder: 'never'});
    replace(section, h('h2#tokens-title', `API tokens of ${auth.tenant}`),
      table(['id', 'name', 'role', 'state', 'created', 'expires', ''], list.map(t => [t.id, t.name, t.role, t.state,
        when(t.created), t.expires ? when(t.expires) : 'never', t]), {caption: 'Tokens (never the tokens themselves)',
        cell: (value, c) => c === 6 ? (value.state === 'active' ? h('button.small', {type: 'button',
          'aria-label': `Revoke token ${value.name}`, onclick: async () => {
            try { await del(tenant(`/tokens/${encodeURIComponent(value.id)}`)); announce(`Token ${value.name} revoked`); reload(); }
            catch (error) { replace(result, errorBox(error)); }
          }}, 'Revoke') : '') : String(value)}),
      h('form.row-form', {'aria-label': 'Create an API token', onsubmit: async event => {
        event.preventDefault();
        const body = {name: name.value.trim(), role: role.value};
        if (days.value) body.expires_days = Number(days.value);
        try {
          const created = await post(tenant('/tokens'), body);
          await reload();
          document.getElementById('tokens-title').closest('section').append(h('p.secret', {role: 'status'},
            `Token ${created.name} (${created.role}): `, h('code', created.token), ' (shown once: keep it in a secret store).'));
        } catch (error) {
          replace(result, errorBox(error));
        }
      }}, h('label', {for: 't-name'}, 'Name'), name, h('label', {for: 't-role'}, 'Role'), role,
      h('label', {for: 't-days'}, 'Expires in days'), days, h('button', {type: 'submit'}, 'Create token')), result);
  } catch (error) {
    replace(section, h('h2#tokens-title', 'API tokens'), errorBox(error));
  }
  return section;
}

// --- connectors (owners) -------------------------------------------------------------------------------------

// What each kind needs besides a name and its secret; the server checks the same (ConnectorConfig).
const KINDS = {
  'graph-security': {label: 'Microsoft Graph Security (alerts_v2, incidents)', secret: 'Client secret',
    fields: ['tenant_id', 'client_id', 'lookback', 'page_size', 'endpoint', 'authority']},
  'sentinel-incidents': {label: 'Microsoft Sentinel incidents', secret: 'Client secret',
    fields: ['tenant_id', 'client_id', 'workspace', 'lookback', 'endpoint', 'authority']},
  'log-analytics': {label: 'Azure Monitor Log Analytics (a KQL query)', secret: 'Client secret',
    fields: ['tenant_id', 'client_id', 'workspace', 'query', 'table', 'lookback', 'endpoint', 'authority']},
  'defender-hunting': {label: 'Microsoft Defender advanced hunting', secret: 'Client secret',
    fields: ['tenant_id', 'client_id', 'query', 'table', 'lookback', 'endpoint', 'authority']},
  'splunk-export': {label: 'Splunk search export', secret: 'Splunk authentication token',
    fields: ['query', 'lookback', 'endpoint']},
};

const FIELDS = {
  tenant_id: ['Entra ID tenant id', 'the directory (tenant) id of the app registration', true],
  client_id: ['Client id', "the app registration's application (client) id", true],
  workspace: ['Workspace', 'workspace id (Log Analytics) or resource id /subscriptions/…/workspaces/NAME (Sentinel)', true],
  query: ['Query', 'KQL (Log Analytics, Defender) or SPL (Splunk), e.g. SigninLogs', true],
  table: ['Table', 'optional: the table rows are stored in', false],
  lookback: ['Lookback', 'ISO 8601, e.g. P1D: how far back the first run reaches', false],
  page_size: ['Page size', 'records per page (default 100)', false],
  endpoint: ['API endpoint', "optional: the API's base URL (default: the vendor's)", false],
  authority: ['Token authority', 'optional: default https://login.microsoftonline.com', false],
};

async function connectors() {
  const section = h('section.panel', {'aria-labelledby': 'connectors-title'});
  const reload = async () => section.replaceWith(await connectors());
  const result = h('div', {'aria-live': 'polite'});
  try {
    const {connectors: list} = await get(tenant('/connectors'));
    const act = (value, what) => h('button.small', {type: 'button', 'aria-label': `${what} connector ${value.name}`,
      onclick: async () => {
        replace(result, h('p.loading', `${what === 'Test' ? 'Testing' : 'Running'} ${value.name}…`));
        try {
          const path = tenant(`/connectors/${encodeURIComponent(value.name)}/${what.toLowerCase()}`);
          const answer = await post(path);
          if (what === 'Test') {
            replace(result, h('div', {role: 'status'}, h('h3', `Test of ${value.name}: ${answer.ok ? 'works' : 'failed'}`),
              h('ul', answer.steps.map(step => h('li', `ok: ${step}`))),
              answer.ok ? null : h('p.error', `Failed: ${answer.error}`), answer.ok ? null : h('p', `Fix: ${answer.fix}`)));
          } else {
            await reload();
            document.getElementById('connectors-title').closest('section').querySelector('[aria-live]')
              .replaceChildren(h('div', {role: 'status'}, h('h3', `Run of ${value.name}`),
                table(['pages', 'read', 'new events', 'already stored', 'skipped at checkpoint', 'new alerts', 'quarantined', 'checkpoint'],
                  [[answer.pages, answer.read, answer.stored_new, answer.already_stored, answer.skipped_at_checkpoint,
                    answer.alerts_new, answer.quarantined, answer.watermark ? when(answer.watermark) : 'none yet']],
                  {caption: `What the run of ${value.name} stored`}),
                answer.incidents ? h('p', `${answer.incidents.alerts} alert(s) placed in incidents: ${answer.incidents.opened} opened,`
                  + ` ${answer.incidents.merged} merged.`) : null));
          }
        } catch (error) {
          replace(result, errorBox(error));
        }
      }}, what);
    const name = h('input#c-name', {required: true, autocomplete: 'off', placeholder: 'e.g. graph'});
    const kind = h('select#c-kind', Object.entries(KINDS).map(([id, k]) => h('option', {value: id}, k.label)));
    const secretLabel = h('label', {for: 'c-secret'});
    const secret = h('input#c-secret', {type: 'password', required: true, autocomplete: 'off'});
    const inputs = {};
    const rows = Object.entries(FIELDS).map(([field, [label, hint]]) => {
      inputs[field] = h(`input#c-${field}`, {autocomplete: 'off', placeholder: hint,
        type: field === 'page_size' ? 'number' : 'text', min: field === 'page_size' ? 1 : null});
      return [field, h('div.field', h('label', {for: `c-${field}`}, label), inputs[field])];
    });
    const fieldset = h('div.connector-fields', rows.map(([, row]) => row));
    const showKind = () => {
      const k = KINDS[kind.value];
      for (const [field, row] of rows) {
        const shown = k.fields.includes(field);
        row.hidden = !shown;
        inputs[field].required = shown && FIELDS[field][2];
        inputs[field].disabled = !shown;
      }
      replace(secretLabel, k.secret);
    };
    kind.addEventListener('change', showKind);
    showKind();
    replace(section, h('h2#connectors-title', `Connectors of ${auth.tenant}`),
      h('p', 'Connectors pull alerts, incidents and events from vendors\' APIs into this tenant, resuming at a'
        + ' checkpoint. Secrets are stored encrypted and never shown again. Webhook receivers are managed with'
        + ' `vigil connectors add --kind webhook` and `vigil connectors listen`.'),
      table(['name', 'kind', 'endpoint', 'secret', 'last checkpoint', ''], list.map(c => [c.name, c.kind, c.endpoint,
        c.secret, c.watermark ? when(c.watermark) + (c.midRun ? ' (a run stopped midway; the next resumes)' : '') : 'never run', c]),
      {caption: 'Connectors (never their secrets)',
        cell: (value, col) => col === 5 ? (value.kind === 'webhook' ? 'vigil connectors listen'
          : h('span', act(value, 'Test'), ' ', act(value, 'Run'))) : String(value)}),
      h('form.inline-form.connector-form', {'aria-label': 'Add a connector', onsubmit: async event => {
        event.preventDefault();
        const body = {name: name.value.trim(), kind: kind.value, client_secret: secret.value};
        for (const field of KINDS[kind.value].fields) {
          const value = inputs[field].value.trim();
          if (value) body[field] = field === 'page_size' ? Number(value) : value;
        }
        try {
          const added = await post(tenant('/connectors'), body);
          secret.value = '';
          await reload();
          announce(`Connector ${added.name} saved`);
          document.getElementById('connectors-title').closest('section').querySelector('[aria-live]')
            .replaceChildren(h('p.ok', {role: 'status'}, `Connector ${added.name} saved; its secret is stored encrypted. Test it.`));
        } catch (error) {
          replace(result, errorBox(error));
        }
      }}, h('h3', 'Add or replace a connector'), h('label', {for: 'c-name'}, 'Name'), name,
      h('label', {for: 'c-kind'}, 'Kind'), kind, fieldset, secretLabel, secret,
      h('button', {type: 'submit'}, 'Save connector')), result);
  } catch (error) {
    replace(section, h('h2#connectors-title', 'Connectors'), errorBox(error));
  }
  return section;
}
