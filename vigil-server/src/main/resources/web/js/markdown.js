// A small, strict Markdown reader for answers: headings, paragraphs, lists, fenced code, block quotes, GFM tables,
// **strong**, *emphasis*, `code` and links. It builds DOM nodes with text only, so nothing in the answer is ever
// read as HTML; a link keeps only http(s), mailto and in-page (#) targets, anything else stays text.

import {h} from './dom.js';

/** The Markdown as a document fragment. */
export function markdown(source) {
  const fragment = document.createDocumentFragment();
  const lines = String(source || '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (!line.trim()) { i++; continue; }
    if ((m = line.match(/^\s*(```+|~~~+)\s*([\w-]*)/))) {
      const fence = m[1];
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence); i++) code.push(lines[i]);
      i++;
      fragment.append(h('pre', h('code', m[2] ? {'data-language': m[2]} : null, code.join('\n'))));
      continue;
    }
    if ((m = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/))) {
      // answers sit under the page's own headings, so their levels start at h3
      fragment.append(h(`h${Math.min(6, m[1].length + 2)}`, inline(m[2])));
      i++;
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const rows = [];
      for (; i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i]); i++) rows.push(cells(lines[i]));
      const [head, , ...body] = rows;
      fragment.append(h('div.table-wrap', {tabindex: 0},
        h('table', h('thead', h('tr', head.map(c => h('th', {scope: 'col'}, inline(c))))),
          h('tbody', body.map(r => h('tr', r.map(c => h('td', inline(c)))))))));
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quote = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]); i++) quote.push(lines[i].replace(/^\s*>\s?/, ''));
      fragment.append(h('blockquote', markdown(quote.join('\n'))));
      continue;
    }
    if ((m = line.match(/^(\s*)([-*+]|\d+[.)])\s+/))) {
      const ordered = /\d/.test(m[2]);
      const items = [];
      for (; i < lines.length; i++) {
        const item = lines[i].match(/^\s*([-*+]|\d+[.)])\s+(.*)$/);
        if (item && /\d/.test(item[1]) === ordered) items.push(item[2]);
        else if (lines[i].trim() && /^\s{2,}/.test(lines[i]) && items.length) items[items.length - 1] += ' ' + lines[i].trim();
        else break;
      }
      fragment.append(h(ordered ? 'ol' : 'ul', items.map(text => h('li', inline(text)))));
      continue;
    }
    const paragraph = [];
    for (; i < lines.length && lines[i].trim() && !/^(#{1,6}\s|\s*```|\s*>|\s*([-*+]|\d+[.)])\s)/.test(lines[i]); i++) {
      paragraph.push(lines[i].trim());
    }
    if (!paragraph.length) { paragraph.push(line.trim()); i++; }
    fragment.append(h('p', inline(paragraph.join(' '))));
  }
  return fragment;
}

function cells(line) {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|'));
}

const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|(?<![\w])_([^_\s][^_]*)_(?![\w])|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Inline Markdown as nodes: code spans, strong, emphasis and safe links; the rest is text. */
export function inline(text) {
  const nodes = [];
  let last = 0;
  for (const m of String(text).matchAll(INLINE)) {
    if (m.index > last) nodes.push(unescape(text.slice(last, m.index)));
    if (m[1]) nodes.push(h('code', m[2]));
    else if (m[3] || m[4]) nodes.push(h('strong', inline(m[3] || m[4])));
    else if (m[5] || m[6]) nodes.push(h('em', inline(m[5] || m[6])));
    else if (m[7]) nodes.push(safeUrl(m[8]) ? h('a', {href: m[8], rel: 'noopener noreferrer',
      target: m[8].startsWith('#') ? null : '_blank'}, inline(m[7])) : `${m[7]} (${m[8]})`);
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(unescape(text.slice(last)));
  return nodes;
}

function unescape(text) {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1');
}

function safeUrl(url) {
  return /^(https?:\/\/|mailto:|#)/i.test(url);
}
