// Incidents: the filtered list (status, severity, owner, text) and one incident's page: summary, timeline, entity
// graph, impact and the guided-response cards, whose approve and reject buttons are disabled, with the reason
// shown, for a role that may not decide (the server refuses such a call anyway, and the page says so).

import {h, replace, errorBox, announce, table, when, fromMicros} from './dom.js';
import {auth, get, post, patch, tenant} from './api.js';
import {evidenceButton} from './evidence.js';
import {entityGraph} from './graph.js';

const STATUSES = ['', 'new', 'active', 'resolved'];
const SEVERITIES = ['', 'informational', 'low', 'medium', 'high', 'critical'];

export async function render(main, {rest, query}) {
  if (rest[0]) return detail(main, rest[0]);
  return list(main, query);
}

// --- the list ---------------------------------------------------------------------------------------------

async function list(main, query) {
  const field = (name, label, control) => h('div.field', h('label', {for: `f-${name}`}, label), control);
  const select = (name, values) => h(`select#f-${name}`, {name}, values.map(v => h('option', {value: v,
    selected: (query.get(name) || '') === v}, v || 'any')));
  const form = h('form.filters', {role: 'search', 'aria-label': 'Filter incidents', onsubmit: event => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, v);
    location.hash = `#/incidents${params.toString() ? `?${params}` : ''}`;
  }},
  field('status', 'Status', select('status', STATUSES)),
  field('severity', 'Severity at least', select('severity', SEVERITIES)),
  field('owner', 'Owner', h('input#f-owner', {name: 'owner', value: query.get('owner') || '', placeholder: 'name, or - for unassigned'})),
  field('q', 'Text', h('input#f-q', {name: 'q', type: 'search', value: query.get('q') || '', placeholder: 'title, tag, number'})),
  h('button.primary', {type: 'submit'}, 'Filter'));
  const results = h('div', {'aria-live': 'polite'}, h('p.loading', 'Loading…'));
  replace(main, h('h1', 'Incidents'), form, results);
  const params = new URLSearchParams(query);
  params.set('limit', params.get('limit') || '100');
  try {
    const page = await get(tenant(`/incidents?${params}`));
    const m = page.metrics;
    replace(results,
      h('p.metrics', `${m.incidents} shown · ${m.open} open · ${m.acknowledged} acknowledged · ${m.resolved} resolved`
        + (m.mtta_seconds !== null ? ` · MTTA ${Math.round(m.mtta_seconds / 60)} min` : '')
        + (m.mttr_seconds !== null ? ` · MTTR ${Math.round(m.mttr_seconds / 60)} min` : '')),
      page.incidents.length ? table(['#', 'title', 'severity', 'status', 'owner', 'alerts', 'last seen'],
        page.incidents.map(i => [i.number, i.title, i.severity, i.status, i.owner || '—', i.alerts, when(i.last_seen)]),
        {caption: 'Incidents, most recently active first', cell: (value, c, r) => {
          const incident = page.incidents[r];
          if (c === 1) return h('a', {href: `#/incidents/${incident.number}`}, String(value));
          if (c === 2) return h(`span.badge.sev-${value}`, String(value));
          return String(value);
        }})
        : h('p', 'No incident matches these filters.'),
      pager(query, page));
  } catch (error) {
    replace(results, errorBox(error));
  }
}

/** Links to the previous and next pages of the same filters. */
function pager(query, page) {
  const link = (offset, label) => {
    const params = new URLSearchParams(query);
    if (offset > 0) params.set('offset', String(offset));
    else params.delete('offset');
    return h('a.button.small', {href: `#/incidents${params.toString() ? `?${params}` : ''}`}, label);
  };
  if (page.offset === 0 && page.next_offset === null) return null;
  return h('nav.pager', {'aria-label': 'Pages of incidents'},
    page.offset > 0 ? link(Math.max(0, page.offset - page.limit), 'Previous') : null, ' ',
    page.next_offset !== null ? link(page.next_offset, 'Next') : null);
}

// --- one incident -----------------------------------------------------------------------------------------

async function detail(main, number) {
  replace(main, h('p.loading', 'Loading…'));
  let data;
  try {
    data = await get(tenant(`/incidents/${encodeURIComponent(number)}`));
  } catch (error) {
    replace(main, h('h1', `Incident ${number}`), errorBox(error), h('a', {href: '#/incidents'}, 'All incidents'));
    return;
  }
  const i = data.incident;
  const v = data.view;
  const ev = refs => (refs || []).map(r => evidenceButton(r));
  const section = (id, title, ...content) => h('section.panel', {'aria-labelledby': id}, h('h2', {id}, title), content);
  replace(main,
    h('nav.crumbs', {'aria-label': 'Breadcrumb'}, h('a', {href: '#/incidents'}, 'Incidents'), ` / ${i.number}`),
    h('h1', `Incident ${i.number}: ${i.title}`),
    h('p.facts', h(`span.badge.sev-${i.severity}`, i.severity), ` ${i.status} · ${i.classification}`
      + ` · owner ${i.owner || 'unassigned'} · ${i.alerts} alerts · ${when(i.first_seen)} to ${when(i.last_seen)}`),
    updateForm(i, () => detail(main, number)),
    h('div.incident-grid',
      section('summary-title', 'Summary', h('ul', v.summary.map(s => h('li', s.text, ' ', ev(s.evidence))))),
      section('response-title', 'Guided response', responseCards(v.cards, data.actions, i.number, () => detail(main, number))),
      section('graph-title', 'Entities', entityGraph(v.entities, v.edges),
        table(['kind', 'entity', 'role', 'alerts', 'why'], v.entities.map(e => [e.key.kind.toLowerCase(), e.key.value,
          e.role, e.alerts, e.why]), {caption: 'Entities of the incident'})),
      section('impact-title', 'Impact', impact(v.impact)),
      section('timeline-title', 'Timeline', table(['time', 'kind', 'what', 'level', 'host', 'user', 'detail', 'evidence'],
        v.timeline.map(t => [fromMicros(t.time_micros), t.kind, t.title, t.level, t.host, t.user, t.detail, t.evidence]),
        {caption: 'Timeline', cell: (value, c) => c === 7 && value ? evidenceButton(value) : String(value ?? '')})),
      section('tactics-title', 'ATT&CK tactics', v.tactics.length ? null : h('p.muted', 'No ATT&CK tactic is known for these alerts.'), h('ol', v.tactics.map(t => h('li', h('strong', t.name), ' ',
        t.techniques.map(id => evidenceButton(`attack:${id}`, null, id)), ' · first ', fromMicros(t.first_micros), ' ', ev(t.evidence))))),
      data.history.length ? section('history-title', 'History', table(['when', 'who', 'field', 'from', 'to'],
        data.history.map(c => [when(c.at), c.actor, c.field, c.from, c.to]), {caption: 'Changes and comments'})) : null));
}

function impact(impact) {
  return [h('p.score', h('span.big', String(impact.score)), ' of 100'),
    h('p', `Hosts: ${impact.hosts.join(', ') || 'none'} · users: ${impact.users.join(', ') || 'none'}`
      + (impact.privileged.length ? ` · privileged: ${impact.privileged.join(', ')}` : '')),
    h('p.muted', `Criticality: ${impact.criticality}`),
    table(['factor', 'points', 'why'], impact.factors.map(f => [f.name, f.points, f.why]), {caption: 'Impact factors'})];
}

/** Who may decide a proposed action: the analyst role; the reason a button is disabled otherwise. */
function refusal() {
  if (auth.can('analyst')) return null;
  return `Your role in tenant ${auth.tenant} is ${auth.role || 'unknown'}: approving or rejecting an action needs the analyst role.`;
}

function responseCards(cards, actions, number, reload) {
  const why = refusal();
  const byKey = new Map(actions.map(a => [`${a.action}|${a.target}`, a]));
  return h('ul.cards', cards.map((card, n) => {
    const action = card.action ? byKey.get(`${card.action}|${card.target}`) : null;
    const outcome = h('div.outcome', {'aria-live': 'polite'});
    let controls = null;
    if (action && action.status === 'proposed') {
      const noteId = `why-${n}`;
      const approve = h('button.primary.approve', {type: 'button', disabled: !!why, 'aria-describedby': why ? noteId : null,
        onclick: async () => {
          approve.disabled = true;
          try {
            const result = await post(tenant(`/incidents/${number}/actions/${encodeURIComponent(action.id)}/approve`));
            announce(`Approved: ${card.title}`);
            replace(outcome, h('p.ok', `Approved by ${result.decided_by || auth.state.name}: ${result.status}${result.outcome ? ` · ${result.outcome}` : ''}`));
            setTimeout(reload, 600);
          } catch (error) {
            approve.disabled = false;
            replace(outcome, errorBox(error));
          }
        }}, 'Approve');
      const reason = h('input', {type: 'text', 'aria-label': `Reason to reject ${card.title}`, placeholder: 'reason', disabled: !!why});
      const reject = h('button.reject', {type: 'button', disabled: !!why, 'aria-describedby': why ? noteId : null,
        onclick: async () => {
          try {
            await post(tenant(`/incidents/${number}/actions/${encodeURIComponent(action.id)}/reject`), {reason: reason.value});
            announce(`Rejected: ${card.title}`);
            reload();
          } catch (error) {
            replace(outcome, errorBox(error));
          }
        }}, 'Reject');
      controls = h('div.decide', h('span.buttons', {title: why || null}, approve, ' ', reason, ' ', reject),
        why ? h('p.note', {id: noteId}, why) : null);
    } else if (action) {
      controls = h('p.state', `${action.status}${action.decided_by ? ` by ${action.decided_by}` : ''}${action.outcome ? ` · ${action.outcome}` : ''}`);
    }
    return h('li.card', {'data-action': card.action || null, 'data-status': action ? action.status : null},
      h('p.card-head', h('span.category', card.category), ' ', h('strong', card.title)),
      card.reason ? h('p', card.reason) : null,
      h('p.evidence', (card.evidence || []).slice(0, 6).map(r => evidenceButton(r))),
      controls, outcome);
  }));
}

function updateForm(incident, reload) {
  if (!auth.can('analyst')) return null;
  const status = h('select#u-status', STATUSES.slice(1).map(s => h('option', {value: s, selected: s === incident.status}, s)));
  const comment = h('input#u-comment', {type: 'text', placeholder: 'comment'});
  const result = h('span', {'aria-live': 'polite'});
  return h('form.update', {'aria-label': 'Update the incident', onsubmit: async event => {
    event.preventDefault();
    const body = {};
    if (status.value !== incident.status) body.status = status.value;
    if (comment.value.trim()) body.comment = comment.value.trim();
    if (!Object.keys(body).length) return;
    try {
      await patch(tenant(`/incidents/${incident.number}`), body);
      reload();
    } catch (error) {
      replace(result, errorBox(error));
    }
  }},
  h('label', {for: 'u-status'}, 'Status'), status,
  h('label', {for: 'u-comment'}, 'Comment'), comment,
  h('button', {type: 'submit'}, 'Update'),
  incident.owner ? null : h('button', {type: 'button', onclick: async () => {
    try { await patch(tenant(`/incidents/${incident.number}`), {owner: auth.state.name}); reload(); }
    catch (error) { replace(result, errorBox(error)); }
  }}, 'Assign to me'), result);
}
