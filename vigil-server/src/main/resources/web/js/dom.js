// Building the page from data without ever parsing data as HTML: every text goes through textContent or an
// attribute, so a host name, a command line or a model's answer cannot inject markup or script.

const SVG = 'http://www.w3.org/2000/svg';

/**
 * An element: h('a.link', {href: '#/x', onclick: fn}, 'text', child...). Attributes starting with "on" become
 * listeners (never inline handlers), null and false attributes are skipped, strings and numbers become text nodes.
 */
export function h(spec, attrs, ...children) {
  return build(document.createElement(tagOf(spec)), spec, attrs, children);
}

/** An SVG element, with the same rules. */
export function s(spec, attrs, ...children) {
  return build(document.createElementNS(SVG, tagOf(spec)), spec, attrs, children);
}

function tagOf(spec) {
  return spec.split(/[.#]/)[0] || 'div';
}

function build(el, spec, attrs, children) {
  for (const part of spec.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends children: nodes as they are, strings and numbers as text, arrays flattened, null skipped. */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** Says something to screen readers (the polite live region). */
export function announce(text) {
  const status = document.getElementById('status');
  if (status) {
    status.textContent = '';
    setTimeout(() => { status.textContent = text; }, 30);
  }
}

/** An error from the API as the page shows it: the message, and how to fix it when the server says. */
export function errorBox(error) {
  return h('div.error', {role: 'alert'},
    h('strong', error.code ? `${error.code}: ` : 'Error: '), error.message || String(error),
    error.fix ? h('div.fix', 'Fix: ', error.fix) : null);
}

/** A number or date as the page shows it. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return isNaN(date) ? String(iso) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

export function fromMicros(micros) {
  return micros ? when(new Date(micros / 1000).toISOString()) : '';
}

/** A table of columns and rows (values as text); the caller may turn cells into links. */
export function table(columns, rows, {caption, cell} = {}) {
  return h('div.table-wrap', {tabindex: 0, role: 'region', 'aria-label': caption || 'table'},
    h('table', caption ? h('caption', caption) : null,
      h('thead', h('tr', columns.map(c => h('th', {scope: 'col'}, c)))),
      h('tbody', rows.map((row, r) => h('tr', row.map((value, c) => h('td',
        cell ? cell(value, c, r) : text(value))))))));
}

export function text(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
