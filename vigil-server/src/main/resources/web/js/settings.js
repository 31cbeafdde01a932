// Settings: your account and tenants; for owners the tenant's members, tokens, connectors and plugins; the model and
// data policy (everyone sees it, owners change it); the tenant's skills and promptbooks; and where each setting is
// managed. Sections without an API route are read-only and say which command manages them.

import {h, replace, errorBox, table, when, announce} from './dom.js';
import {auth, get, post, put, patch, del, tenant} from './api.js';

const ROLES = ['reader', 'analyst', 'owner', 'ingest'];

const MANAGED = [
  ['Users and their roles', /\/members/, 'vigil users add|list|passwd|grant|remove'],
  ['API tokens', /\/tokens/, 'vigil tokens create|list|revoke'],
  ['Connectors', /\/connectors/, 'vigil connectors add|list|test|run'],
  ['Plugins', /\/plugins/, 'vigil plugins install|list|enable|disable'],
  ['Model and data policy', /\/model$/, 'DATA/tenants/TENANT/model.yaml (vigil model --help)'],
  ['Tenants', /\/tenants$/, 'the server operator: a tenant is created by its first data (vigil ingest --tenant T)'
    + ' and given owners with vigil users grant NAME --tenant T --role owner'],
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
      sections.push(await members(), await tokens(), await connectors(), await plugins());
    } else {
      sections.push(h('section.panel', {'aria-labelledby': 'connectors-title'}, h('h2#connectors-title', 'Connectors'),
        h('p', `Connectors (Microsoft Graph Security, Sentinel, Log Analytics, Defender, Splunk) hold the tenant's`
          + ` credentials, so only the tenant's owners see and manage them; your role in ${auth.tenant} is`
          + ` ${auth.role || 'not owner'}. Ask an owner, or use \`vigil connectors\` with an owner's access.`)));
    }
    sections.push(await model());
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

// --- plugins (owners) ----------------------------------------------------------------------------------------

async function plugins() {
  const section = h('section.panel', {'aria-labelledby': 'plugins-title'});
  const reload = async () => section.replaceWith(await plugins());
  const result = h('div', {'aria-live': 'polite'});
  try {
    const {plugins: list} = await get(tenant('/plugins'));
    const act = (plugin, label, work) => h('button.small', {type: 'button', 'aria-label': `${label} plugin ${plugin.name}`,
      onclick: async () => {
        try { await work(); announce(`${plugin.name}: ${label.toLowerCase()}d`); await reload(); }
        catch (error) { replace(result, errorBox(error)); }
      }}, label);
    const manifest = h('textarea#p-manifest', {required: true, rows: 10, spellcheck: 'false',
      placeholder: 'Descriptor:\n  Name: ...\nSkillGroups:\n  - Format: KQL\n    Skills: ...'});
    const settings = h('textarea#p-settings', {rows: 3, spellcheck: 'false', placeholder: 'Name=value, one per line'});
    replace(section, h('h2#plugins-title', `Plugins of ${auth.tenant}`),
      h('p', 'Plugins add skills to the copilot in the shape of Security Copilot\'s custom plugins: KQL and SQL'
        + ' templates, API operations, MCP servers over HTTP. Secret settings are masked. An MCP server that runs as a'
        + ' program on the server is installed by the operator with `vigil plugins install`.'),
      table(['name', 'formats', 'skills', 'enabled', 'settings', ''], list.map(p => [p.name, p.formats.join(', '),
        p.skills.length, p.enabled ? 'yes' : 'no', Object.entries(p.settings).map(([k, v]) => `${k}=${v}`).join(' '), p]),
      {caption: 'Installed plugins (secrets masked)',
        cell: (value, c) => c === 5 ? h('span',
          act(value, value.enabled ? 'Disable' : 'Enable', () => patch(tenant(`/plugins/${encodeURIComponent(value.name)}`),
            {enabled: !value.enabled})), ' ',
          act(value, 'Remove', () => del(tenant(`/plugins/${encodeURIComponent(value.name)}`)))) : String(value)}),
      h('form.inline-form', {'aria-label': 'Install a plugin', onsubmit: async event => {
        event.preventDefault();
        const values = {};
        for (const line of settings.value.split('\n').map(l => l.trim()).filter(Boolean)) {
          const at = line.indexOf('=');
          if (at < 1) { replace(result, h('p.error', `Setting "${line}" needs the form Name=value.`)); return; }
          values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
        try {
          const installed = await post(tenant('/plugins'), {manifest: manifest.value, settings: values});
          manifest.value = settings.value = '';
          await reload();
          document.getElementById('plugins-title').closest('section').querySelector('[aria-live]')
            .replaceChildren(h('p.ok', {role: 'status'}, `Plugin ${installed.name} installed with ${installed.skills.length} skill(s).`));
        } catch (error) {
          replace(result, errorBox(error));
        }
      }}, h('h3', 'Install a plugin'), h('label', {for: 'p-manifest'}, 'Manifest (YAML or JSON)'), manifest,
      h('label', {for: 'p-settings'}, 'Settings'), settings, h('button', {type: 'submit'}, 'Install plugin')), result);
  } catch (error) {
    replace(section, h('h2#plugins-title', 'Plugins'), errorBox(error));
  }
  return section;
}

// --- the model and data policy (everyone sees it; owners change it) -------------------------------------------

const POLICIES = [['local-only', 'local-only: only a model on this machine or a private network is called'],
  ['redact', 'redact: identities and secrets become placeholders before anything is sent'],
  ['allow', 'allow: identities are sent as they are (secrets are still replaced)']];

async function model() {
  const section = h('section.panel', {'aria-labelledby': 'model-title'});
  const reload = async () => section.replaceWith(await model());
  const result = h('div', {'aria-live': 'polite'});
  try {
    const m = await get(tenant('/model'));
    const facts = m.configured ? [['answers', m.answers], ['provider', m.provider], ['base URL', m['base-url']],
      ['model', m.model], ['API key', m['api-key-env'] ? `from $${m['api-key-env']} (${m.api_key_set ? 'set' : 'NOT set'} on the server)` : 'none'],
      ['timeout', m.timeout], ['policy', m.policy]] : [['answers', m.answers]];
    const parts = [h('h2#model-title', 'Model and data policy'), h('p', m.effect),
      table(['', ''], facts, {caption: `The language model of ${auth.tenant}`}),
      h('p', 'Vigil sends a model only what the policy allows, only to answer the question asked; nothing is stored'
        + ' by Vigil for training. Every call is recorded in the tenant\'s model audit log.')];
    if (auth.can('owner')) {
      const field = (key, attrs = {}) => h(`input#md-${key}`, {autocomplete: 'off', value: m[key] || '', ...attrs});
      const inputs = {'provider': h('select#md-provider', ['openai', 'azure-openai'].map(p => h('option', {value: p, selected: m.provider === p}, p))),
        'base-url': field('base-url', {required: true, placeholder: 'http://localhost:11434/v1'}),
        'model': field('model', {required: true, placeholder: 'llama3.1:8b'}),
        'api-key-env': field('api-key-env', {placeholder: 'OPENAI_API_KEY (the variable, never the key)'}),
        'timeout': field('timeout', {placeholder: '30s'}),
        'policy': h('select#md-policy', POLICIES.map(([p, label]) => h('option', {value: p, selected: (m.policy || 'local-only') === p}, label)))};
      parts.push(h('form.inline-form', {'aria-label': 'Set the language model', onsubmit: async event => {
        event.preventDefault();
        const body = {};
        for (const [key, input] of Object.entries(inputs)) if (input.value.trim()) body[key] = input.value.trim();
        try { await put(tenant('/model'), body); announce('Model saved'); await reload(); }
        catch (error) { replace(result, errorBox(error)); }
      }}, h('h3', m.configured ? 'Change the model' : 'Bring your own model'),
      ...Object.entries(inputs).flatMap(([key, input]) => [h('label', {for: `md-${key}`}, key), input]),
      h('button', {type: 'submit'}, 'Save model'),
      m.configured ? h('button', {type: 'button', onclick: async () => {
        try { await del(tenant('/model')); announce('Model removed'); await reload(); }
        catch (error) { replace(result, errorBox(error)); }
      }}, 'Remove the model: embedded copilot only') : null));
    }
    parts.push(result);
    replace(section, ...parts);
  } catch (error) {
    replace(section, h('h2#model-title', 'Model and data policy'), errorBox(error));
  }
  return section;
}
