// Reports: the tenant's report templates (built in and imported), each made into a report as Markdown (previewed
// here, safely), HTML or PDF (downloaded) with the period, date and audience chosen.

import {h, replace, errorBox, announce} from './dom.js';
import {get, download, tenant} from './api.js';
import {markdown} from './markdown.js';

export async function render(main) {
  replace(main, h('h1', 'Reports'), h('p.loading', 'Loading…'));
  let templates;
  try {
    ({templates} = await get(tenant('/reports/templates')));
  } catch (error) {
    replace(main, h('h1', 'Reports'), errorBox(error));
    return;
  }
  const output = h('section.panel.report-output', {'aria-labelledby': 'report-output-title', hidden: true});
  replace(main, h('h1', 'Reports'),
    h('p.muted', 'Reports are made from the tenant\'s own data with your role; the same data and choices give the same report.'),
    h('div.report-list', templates.map((t, n) => templateCard(t, n, output))), output);
}

function templateCard(template, n, output) {
  const id = field => `r${n}-${field}`;
  const format = h('select', {id: id('format')}, ['md', 'html', 'pdf'].map(f => h('option', {value: f}, {md: 'Markdown', html: 'HTML', pdf: 'PDF'}[f])));
  const period = h('input', {id: id('period'), value: template.period || '7d', size: 6, 'aria-describedby': id('period-hint')});
  const asOf = h('input', {id: id('asof'), type: 'date'});
  const audience = h('select', {id: id('audience')}, ['', 'executive', 'technical'].map(a => h('option', {value: a,
    selected: false}, a || `default (${template.audience})`)));
  // what the template needs besides the period: an incident number, an actor, a session id...
  const required = (template.requires || []).map(name => ({name, input: h('input', {id: id(`req-${name}`), required: true})}));
  const status = h('div', {'aria-live': 'polite'});
  const button = h('button.primary', {type: 'submit'}, 'Make report');
  return h('form.panel.report', {'aria-labelledby': id('title'), 'data-template': template.name, onsubmit: async event => {
    event.preventDefault();
    const body = {format: format.value};
    if (period.value.trim()) body.period = period.value.trim();
    if (asOf.value) body['as-of'] = asOf.value;
    if (audience.value) body.audience = audience.value;
    for (const {name, input} of required) body[name] = input.value.trim();
    button.disabled = true;
    replace(status, h('p.loading', 'Making the report…'));
    try {
      const file = await download(tenant(`/reports/${encodeURIComponent(template.name)}`), body);
      replace(status);
      show(output, template, file);
      announce(`Report ${template.title} ready`);
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      button.disabled = false;
    }
  }},
  h('h2', {id: id('title')}, template.title),
  h('p', template.description),
  h('p.muted', `${template.name} · ${template.from} · for ${template.audience} · sections: `
    + template.sections.filter(s => s.enabled).map(s => s.title).join(', ')),
  h('div.row-form',
    required.map(({name, input}) => [h('label', {for: input.id}, name[0].toUpperCase() + name.slice(1)), input]),
    h('label', {for: id('format')}, 'Format'), format,
    h('label', {for: id('period')}, 'Period'), period,
    h('label', {for: id('asof')}, 'As of'), asOf,
    h('label', {for: id('audience')}, 'Audience'), audience,
    button),
  h('p.muted.small', {id: id('period-hint')}, 'Period: 24h, 7d, 30d…'),
  status);
}

async function show(output, template, file) {
  const url = URL.createObjectURL(file.blob);
  const link = h('a.button', {href: url, download: file.name}, `Download ${file.name}`);
  const preview = file.type.startsWith('text/markdown')
    ? h('div.markdown.report-preview', markdown(await file.blob.text()))
    : h('p.muted', file.type.startsWith('application/pdf') ? 'A PDF: download it to read it.'
      : 'An HTML document: download it to open it in its own tab.');
  replace(output, h('h2#report-output-title', template.title), h('p', link, ` · ${file.type.split(';')[0]}, ${file.blob.size} bytes`), preview);
  output.hidden = false;
  output.scrollIntoView({block: 'start'});
}
