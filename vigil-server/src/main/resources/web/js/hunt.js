// The hunting editor: KQL in a text area, checked as you stop typing (errors with their line and column, the
// caret moved there), run with a row limit, the rows as a table and the SQL it ran.

import {h, replace, errorBox, table} from './dom.js';
import {auth, post, tenant} from './api.js';
import {chart} from './charts.js';

export async function render(main, {query}) {
  const editor = h('textarea#kql.code', {rows: 8, spellcheck: 'false', 'aria-describedby': 'kql-status',
    'aria-label': 'KQL query'});
  editor.value = query.get('q') || 'SecurityEvent\n| where EventID == 4625\n| summarize failures = count() by bin(time, 1h)\n| render timechart';
  const status = h('p#kql-status.status', {role: 'status'});
  const rows = h('input#max-rows', {type: 'number', min: 1, max: 10000, value: 500});
  const results = h('div.results', {'aria-live': 'polite'});
  const mayRun = auth.can('analyst');
  const check = async () => {
    try {
      const checked = await post(tenant('/hunt/check'), {query: editor.value});
      replace(status, h('span.ok', `Valid: ${checked.columns.length} columns from ${checked.tables.join(', ')}`));
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  };
  const showError = error => {
    replace(status, errorBox(error), error.line ? h('button.link', {type: 'button', onclick: () => caret(editor, error.line, error.column)},
      `Go to line ${error.line}, column ${error.column}`) : null);
  };
  const run = async () => {
    replace(results, h('p', 'Running…'));
    try {
      const r = await post(tenant('/hunt'), {query: editor.value, max_rows: Number(rows.value) || 500});
      replace(status, h('span.ok', `${r.rows.length} rows${r.truncated ? ' (truncated)' : ''} in ${r.milliseconds} ms`));
      replace(results,
        r.chart && r.chart.labels ? chart(r.chart) : null,
        table(r.columns, r.rows, {caption: 'Results'}),
        h('details', h('summary', 'SQL'), h('pre', h('code', r.sql))));
    } catch (error) {
      replace(results);
      showError(error);
    }
  };
  let timer = null;
  editor.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 500); });
  editor.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && mayRun) { event.preventDefault(); run(); }
  });
  replace(main, h('h1', 'Hunt'),
    h('form.hunt', {onsubmit: event => { event.preventDefault(); run(); }},
      editor,
      h('div.hunt-actions',
        h('button', {type: 'button', onclick: check}, 'Check'),
        h('label', {for: 'max-rows'}, 'Rows at most'), rows,
        h('span', {title: mayRun ? null : 'Running a hunt needs the analyst role'},
          h('button.primary', {type: 'submit', disabled: !mayRun}, 'Run (Ctrl+Enter)')),
        mayRun ? null : h('span.note', `Your role (${auth.role}) may check queries; running them needs the analyst role.`)),
      status),
    results);
  editor.focus();
}

function caret(editor, line, column) {
  const lines = editor.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset + 1);
}
