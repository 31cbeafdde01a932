// Signing in: a user name and password (a login session: HttpOnly cookie plus a CSRF token), the identity
// provider when the server has OIDC, or an API token (for scripts and MSSP tooling, kept only for this tab).
// A one-time password must be changed before anything else.

import {h, replace, errorBox, announce} from './dom.js';
import {auth, get, post, call} from './api.js';

/** Asks the server who the current credentials belong to, and keeps it as the signed-in state. */
export async function adopt(me, mode, token, preferredTenant) {
  const tenants = me.tenants || [];
  const tenant = tenants.some(t => t.tenant === preferredTenant) ? preferredTenant
    : (tenants[0] || {}).tenant;
  auth.save({mode, token: mode === 'token' ? token : undefined, csrf: me.csrf_token || undefined,
    name: me.user, tenants, tenant, mustChange: !!me.must_change_password});
  return auth.state;
}

/** A login session the browser already holds (cookie) becomes the state again, e.g. in a new tab. */
export async function resume() {
  try {
    const me = await call('GET', '/me');
    if (me.kind === 'session') return adopt(me, 'cookie');
  } catch (e) { /* not signed in */ }
  return null;
}

export async function signOut() {
  try {
    if (auth.state && auth.state.mode === 'cookie') await post('/logout');
  } catch (e) { /* the session may be gone already */ }
  auth.save(null);
}

export function render(main, {onSignedIn}) {
  if (auth.state && auth.state.mustChange) {
    renderPasswordChange(main, onSignedIn);
    return;
  }
  const problem = h('div', {'aria-live': 'assertive'});
  const user = h('input#login-user', {name: 'username', autocomplete: 'username', required: true});
  const password = h('input#login-password', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const token = h('input#login-token', {name: 'token', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'vgl_…', spellcheck: 'false'});
  const oidc = h('p.oidc');

  const passwordForm = h('form.card.login', {'aria-labelledby': 'login-title', onsubmit: async event => {
    event.preventDefault();
    replace(problem);
    try {
      const me = await call('POST', '/login', {username: user.value, password: password.value});
      await adopt(me, 'cookie');
      password.value = '';
      announce(`Signed in as ${me.user}`);
      onSignedIn();
    } catch (error) {
      replace(problem, errorBox(error));
      password.focus();
    }
  }},
  h('h1#login-title', 'Sign in to Vigil'),
  h('label', {for: 'login-user'}, 'User name'), user,
  h('label', {for: 'login-password'}, 'Password'), password,
  h('button.primary', {type: 'submit'}, 'Sign in'),
  oidc);

  const tokenForm = h('form.card.login', {'aria-labelledby': 'token-title', onsubmit: async event => {
    event.preventDefault();
    replace(problem);
    auth.save({mode: 'token', token: token.value.trim(), tenants: [], tenant: ''});
    try {
      const me = await call('GET', '/me');
      await adopt(me, 'token', token.value.trim());
      token.value = '';
      onSignedIn();
    } catch (error) {
      auth.save(null);
      replace(problem, errorBox(error));
      token.focus();
    }
  }},
  h('h2#token-title', 'Or use an API token'),
  h('p.muted', 'For scripts and service accounts: the token opens one tenant with its role, for this browser tab only.'),
  h('label', {for: 'login-token'}, 'API token'), token,
  h('button', {type: 'submit'}, 'Use token'));

  replace(main, h('div.login-page', problem, passwordForm, h('details.token-login', h('summary', 'Sign in with an API token'), tokenForm)));
  user.focus();
  get('/login').then(methods => {
    if (methods && methods.oidc && methods.oidc.login_url) {
      replace(oidc, h('a.button', {href: methods.oidc.login_url}, 'Sign in with your identity provider'));
    }
  }).catch(() => {});
  return null;
}

function renderPasswordChange(main, onSignedIn) {
  const problem = h('div', {'aria-live': 'assertive'});
  const current = h('input#pw-current', {type: 'password', autocomplete: 'current-password', required: true});
  const next = h('input#pw-new', {type: 'password', autocomplete: 'new-password', required: true, minlength: 12});
  replace(main, h('form.card.login', {'aria-labelledby': 'pw-title', onsubmit: async event => {
    event.preventDefault();
    try {
      const me = await post('/password', {current: current.value, new: next.value});
      await adopt(me, 'cookie', undefined, auth.tenant);
      onSignedIn();
    } catch (error) {
      replace(problem, errorBox(error));
    }
  }},
  h('h1#pw-title', 'Choose a new password'),
  h('p', 'You signed in with a one-time password. Choose your own (12 characters or more) to continue.'),
  problem,
  h('label', {for: 'pw-current'}, 'One-time password'), current,
  h('label', {for: 'pw-new'}, 'New password'), next,
  h('button.primary', {type: 'submit'}, 'Set password')));
  current.focus();
}
