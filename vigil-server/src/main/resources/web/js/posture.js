// The posture dashboard: the organization's exposure score and its history, findings by decision (SSVC: Act,
// Attend, Track*, Track), known-exploited (KEV) items, the riskiest assets and the remediation plan.

import {h, replace, errorBox, table, when} from './dom.js';
import {get, tenant} from './api.js';
import {chart} from './charts.js';

const DECISIONS = ['Act', 'Attend', 'Track*', 'Track'];

export async function render(main) {
  replace(main, h('h1', 'Posture'), h('p.loading', 'Loading…'));
  let p;
  try {
    p = await get(tenant('/posture'));
  } catch (error) {
    replace(main, h('h1', 'Posture'), errorBox(error));
    return;
  }
  const decision = f => String(f.decision || '').replace(/^TRACK_STAR$/, 'Track*').replace(/^(\w)(\w*)$/, (m, a, b) => a + b.toLowerCase());
  const kev = p.findings.filter(f => f.known_exploited);
  const assets = Object.entries(p.asset_scores).sort((a, b) => b[1] - a[1]);
  replace(main,
    h('h1', 'Posture'),
    h('p.muted', `As of ${when(p.at)}`),
    p.notes.length ? h('ul.notes', p.notes.map(n => h('li', n))) : null,
    h('div.tiles',
      tile('Exposure score', p.organization_score.toFixed(1), 'of 100, lower is better'),
      tile('Findings', p.counts.findings),
      tile('Act now', p.counts.Act || 0),
      tile('Known exploited', p.counts.known_exploited || 0),
      tile('Assets', p.counts.assets), tile('Identities', p.counts.identities)),
    h('div.charts',
      chart({kind: 'DONUT', title: 'Findings by decision', labels: DECISIONS,
        series: [{name: 'findings', values: DECISIONS.map(d => p.counts[d] || 0)}]}),
      p.history.length ? chart({kind: 'LINE', title: 'Exposure score over time', labels: p.history.map(x => x.at),
        series: [{name: 'score', values: p.history.map(x => x.score)}]}) : null,
      assets.length ? chart({kind: 'BAR', title: 'Riskiest assets', labels: assets.slice(0, 12).map(a => a[0]),
        series: [{name: 'score', values: assets.slice(0, 12).map(a => a[1])}]}) : null),
    h('section.panel', {'aria-labelledby': 'kev-title'}, h('h2#kev-title', 'Known exploited (KEV)'),
      kev.length ? findings(kev, decision) : h('p', 'No finding is on the known-exploited list.')),
    h('section.panel', {'aria-labelledby': 'findings-title'}, h('h2#findings-title', 'Findings'),
      p.findings.length ? findings(p.findings, decision) : h('p', 'No findings.')),
    h('section.panel', {'aria-labelledby': 'plan-title'}, h('h2#plan-title', 'Remediation plan'),
      p.plan.length ? table(['action', 'assets', 'findings', 'known exploited', 'risk removed'],
        p.plan.map(s => [s.action, s.assets.join(', '), s.findings.length, s.known_exploited, Number(s.risk_removed).toFixed(1)]),
        {caption: 'Steps, most risk removed first'}) : h('p', 'Nothing to remediate.')));
}

function tile(label, value, note) {
  return h('div.tile', h('span.value', String(value)), h('span.label', label), note ? h('span.note', note) : null);
}

function findings(list, decision) {
  return table(['decision', 'asset', 'title', 'software', 'risk', 'KEV'], list.slice(0, 200).map(f => [decision(f),
    f.asset_id, f.title, f.software, Number(f.risk).toFixed(1), f.known_exploited ? 'yes' : '']),
  {caption: `${list.length} findings${list.length > 200 ? ' (first 200)' : ''}`});
}
