// Opening what an answer or an incident cites: stored events, alerts and incidents come from the server
// (GET .../evidence?ref=), a query of the answer is shown with its KQL, and knowledge references link to their
// public pages. The record opens in a modal dialog that returns focus where it was opened from.

import {h, replace, errorBox, table, text} from './dom.js';
import {get, tenant} from './api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The evidence reference a table cell stands for, if any: a typed reference, or an id in an event column. */
export function refOf(value, column) {
  const textValue = String(value === null || value === undefined ? '' : value).trim();
  if (/^(event|alert|incident):\S+$/.test(textValue)) return textValue;
  const name = String(column || '').toLowerCase();
  if (UUID.test(textValue) && /(^|\s)(event|event id|event_id)$/.test(name)) return `event:${textValue}`;
  if (UUID.test(textValue) && /(^|\s)(alert|alert id|alert_id)$/.test(name)) return `alert:${textValue}`;
  return null;
}

/** A button that opens the evidence. */
export function evidenceButton(ref, answer, label) {
  return h('button.ref', {type: 'button', 'data-ref': ref, title: `Open ${ref}`,
    onclick: event => openEvidence(ref, answer, event.currentTarget)}, label || shortRef(ref));
}

function shortRef(ref) {
  const m = ref.match(/^(\w+):(?:[\w-]+:)?([0-9a-f]{8})-[0-9a-f-]{27}$/i);
  return m ? `${m[1]} ${m[2]}` : ref;
}

const PUBLIC = {
  attack: id => `https://attack.mitre.org/${/^T/i.test(id) ? 'techniques' : /^G/i.test(id) ? 'groups'
    : /^S/i.test(id) ? 'software' : /^TA/i.test(id) ? 'tactics' : 'mitigations'}/${id.replace('.', '/')}/`,
  cve: id => `https://nvd.nist.gov/vuln/detail/${id}`,
  kev: id => `https://nvd.nist.gov/vuln/detail/${id}`,
};

export async function openEvidence(ref, answer, opener) {
  const body = h('div.evidence-body', h('p.loading', {role: 'status'}, 'Loading…'));
  const dialog = h('dialog.evidence', {'aria-labelledby': 'evidence-title'},
    h('header', h('h2#evidence-title', ref),
      h('button.quiet.close', {type: 'button', 'aria-label': 'Close', onclick: () => dialog.close()}, '×')),
    body);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const [kind, ...restParts] = ref.split(':');
  const rest = restParts.join(':');
  try {
    if (kind === 'query' && answer) {
      const query = (answer.queries || [])[Number(rest)];
      replace(body, query ? [h('p', `Query ${rest} of this answer (${query.language || 'kql'}), ${query.rows} rows in ${query.millis} ms.`),
        h('pre', h('code', query.text)),
        h('a.button', {href: `#/hunt?q=${encodeURIComponent(query.text)}`, onclick: () => dialog.close()}, 'Open in the hunting editor')]
        : h('p', 'This answer has no such query.'));
      return;
    }
    if (PUBLIC[kind]) {
      replace(body, h('p', 'Knowledge reference: ', h('a', {href: PUBLIC[kind](rest), target: '_blank', rel: 'noopener noreferrer'}, `${rest} (public page)`)));
      return;
    }
    if (!['event', 'alert', 'incident'].includes(kind)) {
      replace(body, h('p', `${kind} reference: `, h('code', rest)));
      return;
    }
    const record = await get(tenant(`/evidence?ref=${encodeURIComponent(ref)}`));
    replace(body, renderRecord(record, () => dialog.close()));
  } catch (error) {
    replace(body, errorBox(error));
  }
}

function renderRecord(record, close) {
  if (record.kind === 'event') {
    const e = record.event;
    return [h('p', `Event in ${e.table} at ${e.time}`),
      table(['field', 'value'], Object.entries(e.fields).map(([k, v]) => [k, text(v)]), {caption: `event ${e.id}`})];
  }
  if (record.kind === 'alert') {
    const a = record.alert;
    const rows = Object.entries(a).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    return [h('p', h('strong', a.title || 'Alert'), a.level ? ` · ${a.level}` : ''),
      table(['field', 'value'], rows, {caption: 'alert'}),
      (a.event_ids || []).length ? h('p', 'Events: ', a.event_ids.map(id => evidenceButton(`event:${id}`))) : null];
  }
  const i = record.incident;
  return [h('p', h('strong', `Incident ${i.number}: `), i.title),
    h('p', `${i.severity} · ${i.status} · ${i.alerts} alerts`),
    h('a.button', {href: `#/incidents/${i.number}`, onclick: close}, 'Open the incident')];
}
