// Charts of an answer or a page (dev.vigil.copilot.Chart: kind BAR, LINE, DONUT or HEATMAP, labels, series) drawn
// as SVG. Colours come from CSS classes (series-0 ... series-5, heat-0 ... heat-4) so they follow the light or dark
// theme; each chart is a figure with its title, and its numbers are one click away as a table for screen readers.

import {h, s, table} from './dom.js';

const W = 640;
const H = 260;
const PAD = {left: 48, right: 12, top: 12, bottom: 48};

/** A chart as a figure: the drawing, its title and its data table. */
export function chart(spec) {
  const kind = String(spec.kind || 'BAR').toUpperCase();
  const draw = {BAR: bar, LINE: line, DONUT: donut, HEATMAP: heatmap}[kind] || bar;
  const labels = spec.labels || [];
  const series = spec.series || [];
  const svg = draw(labels, series);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${spec.title || 'chart'} (${kind.toLowerCase()} chart)`);
  svg.classList.add('chart', `chart-${kind.toLowerCase()}`);
  return h('figure.chart-figure', svg,
    h('figcaption', spec.title || ''),
    series.length > 1 || kind === 'DONUT' ? legend(kind === 'DONUT' ? labels : series.map(x => x.name)) : null,
    h('details.chart-data', h('summary', 'Data'),
      table(['', ...series.map(x => x.name)], labels.map((label, i) => [label, ...series.map(x => format(x.values[i]))]))));
}

function legend(names) {
  return h('ul.legend', names.map((name, i) => h('li', s('svg', {width: 12, height: 12, 'aria-hidden': 'true'},
    s(`rect.series-${i % 6}`, {width: 12, height: 12, rx: 2})), ' ', name)));
}

function format(value) {
  if (value === null || value === undefined) return '';
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2).replace(/\.?0+$/, '');
}

function frame() {
  return s('svg', {viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'xMidYMid meet'});
}

function scale(series) {
  const max = Math.max(1, ...series.flatMap(x => x.values.map(v => Number(v) || 0)));
  const step = niceStep(max / 4);
  return {max: Math.ceil(max / step) * step, step};
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 2.5, 5, 10].map(f => f * power).find(f => f >= raw) || power * 10;
}

function axes(svg, labels, max, step) {
  const plotH = H - PAD.top - PAD.bottom;
  for (let v = 0; v <= max + 1e-9; v += step) {
    const y = PAD.top + plotH - (v / max) * plotH;
    svg.append(s('line.grid', {x1: PAD.left, x2: W - PAD.right, y1: y, y2: y}),
      s('text.tick', {x: PAD.left - 6, y: y + 4, 'text-anchor': 'end'}, format(v)));
  }
  const plotW = W - PAD.left - PAD.right;
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every) return;
    const x = PAD.left + (i + 0.5) * (plotW / labels.length);
    svg.append(s('text.tick', {x, y: H - PAD.bottom + 16, 'text-anchor': 'middle'}, shorten(label)));
  });
}

function shorten(label) {
  const text = String(label);
  const time = text.match(/^\d{4}-(\d\d-\d\d)T(\d\d:\d\d)/);
  if (time) return `${time[1]} ${time[2]}`;
  return text.length > 14 ? text.slice(0, 13) + '…' : text;
}

function bar(labels, series) {
  const svg = frame();
  const {max, step} = scale(series);
  axes(svg, labels, max, step);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, labels.length);
  const width = (band * 0.8) / Math.max(1, series.length);
  series.forEach((x, k) => x.values.forEach((v, i) => {
    const height = ((Number(v) || 0) / max) * plotH;
    svg.append(s(`rect.series-${k % 6}`, {x: PAD.left + i * band + band * 0.1 + k * width, y: PAD.top + plotH - height,
      width: Math.max(1, width - 1), height}, s('title', `${labels[i]}: ${x.name} ${format(v)}`)));
  }));
  return svg;
}

function line(labels, series) {
  const svg = frame();
  const {max, step} = scale(series);
  axes(svg, labels, max, step);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, labels.length);
  series.forEach((x, k) => {
    const points = x.values.map((v, i) => [PAD.left + (i + 0.5) * band, PAD.top + plotH - ((Number(v) || 0) / max) * plotH]);
    svg.append(s(`polyline.line.stroke-${k % 6}`, {points: points.map(p => p.join(',')).join(' '), fill: 'none'}));
    points.forEach(([cx, cy], i) => svg.append(s(`circle.series-${k % 6}`, {cx, cy, r: 3.5},
      s('title', `${labels[i]}: ${x.name} ${format(x.values[i])}`))));
  });
  return svg;
}

function donut(labels, series) {
  const svg = s('svg', {viewBox: '0 0 260 260'});
  const values = (series[0] ? series[0].values : []).map(v => Math.max(0, Number(v) || 0));
  const total = values.reduce((a, b) => a + b, 0) || 1;
  const r = 100;
  const c = 130;
  let angle = -Math.PI / 2;
  values.forEach((v, i) => {
    const sweep = (v / total) * Math.PI * 2;
    const end = angle + Math.min(sweep, Math.PI * 2 - 1e-6);
    const large = sweep > Math.PI ? 1 : 0;
    const d = `M ${c + r * Math.cos(angle)} ${c + r * Math.sin(angle)} A ${r} ${r} 0 ${large} 1 ${c + r * Math.cos(end)} ${c + r * Math.sin(end)}`;
    svg.append(s(`path.arc.stroke-${i % 6}`, {d, fill: 'none'}, s('title', `${labels[i]}: ${format(v)} (${Math.round(v / total * 100)}%)`)));
    angle += sweep;
  });
  svg.append(s('text.donut-total', {x: c, y: c + 8, 'text-anchor': 'middle'}, format(total === 1 && !values.length ? 0 : total)));
  return svg;
}

function heatmap(labels, series) {
  const rows = series.length;
  const cellW = (W - 120) / Math.max(1, labels.length);
  const cellH = 22;
  const svg = s('svg', {viewBox: `0 0 ${W} ${rows * cellH + 40}`});
  const max = Math.max(1, ...series.flatMap(x => x.values.map(v => Number(v) || 0)));
  series.forEach((x, r) => {
    svg.append(s('text.tick', {x: 114, y: r * cellH + 15, 'text-anchor': 'end'}, shorten(x.name)));
    x.values.forEach((v, i) => {
      const level = v ? Math.min(4, Math.ceil((Number(v) / max) * 4)) : 0;
      svg.append(s(`rect.heat-${level}`, {x: 120 + i * cellW, y: r * cellH, width: Math.max(1, cellW - 2), height: cellH - 2},
        s('title', `${x.name}, ${labels[i]}: ${format(v)}`)));
    });
  });
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    if (!(i % every)) svg.append(s('text.tick', {x: 120 + (i + 0.5) * cellW, y: rows * cellH + 16, 'text-anchor': 'middle'}, shorten(label)));
  });
  return svg;
}
