// The entity graph of an incident as SVG: hosts, users, addresses, processes and files as nodes, the relations the
// incident's alerts show as edges. A small force layout from fixed starting points, so the same incident always
// draws the same way; each node is focusable and names itself.

import {s} from './dom.js';

const W = 720;
const H = 420;

export function entityGraph(entities, edges) {
  const key = k => `${k.kind}|${k.value}`;
  const nodes = new Map();
  const add = (k, extra) => {
    if (!nodes.has(key(k))) nodes.set(key(k), {k, role: '', alerts: 0, ...extra});
    return nodes.get(key(k));
  };
  entities.forEach(e => add(e.key, {role: e.role, alerts: e.alerts}));
  const links = edges.map(e => ({a: add(e.from), b: add(e.to), alerts: e.alerts}));
  const list = [...nodes.values()];
  list.forEach((n, i) => {
    const angle = (i / Math.max(1, list.length)) * Math.PI * 2;
    n.x = W / 2 + Math.cos(angle) * W / 3;
    n.y = H / 2 + Math.sin(angle) * H / 3;
  });
  for (let step = 0; step < 200; step++) {
    const cool = 1 - step / 200;
    for (const a of list) {
      let fx = (W / 2 - a.x) * 0.01;
      let fy = (H / 2 - a.y) * 0.01;
      for (const b of list) {
        if (a === b) continue;
        const dx = a.x - b.x;
        const dy = a.y - b.y;
        const d2 = Math.max(100, dx * dx + dy * dy);
        fx += (dx / d2) * 2500;
        fy += (dy / d2) * 2500;
      }
      a.fx = fx;
      a.fy = fy;
    }
    for (const {a, b} of links) {
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.max(1, Math.hypot(dx, dy));
      const pull = (d - 120) * 0.05;
      a.fx += (dx / d) * pull; a.fy += (dy / d) * pull;
      b.fx -= (dx / d) * pull; b.fy -= (dy / d) * pull;
    }
    for (const n of list) {
      n.x = Math.min(W - 60, Math.max(60, n.x + Math.max(-20, Math.min(20, n.fx)) * cool));
      n.y = Math.min(H - 30, Math.max(30, n.y + Math.max(-20, Math.min(20, n.fy)) * cool));
    }
  }
  const svg = s('svg.graph', {viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `Entity graph: ${list.length} entities, ${links.length} relations`});
  for (const {a, b, alerts} of links) {
    svg.append(s('line.edge', {x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'stroke-width': Math.min(6, 1 + alerts / 2)},
      s('title', `${a.k.value} – ${b.k.value}: ${alerts} alerts`)));
  }
  for (const n of list) {
    const kind = String(n.k.kind).toLowerCase();
    const label = `${kind} ${n.k.value}${n.role ? `, ${n.role}` : ''}${n.alerts ? `, ${n.alerts} alerts` : ''}`;
    const shape = kind === 'host' ? s('rect', {x: -14, y: -10, width: 28, height: 20, rx: 3})
      : kind === 'user' ? s('circle', {r: 12})
        : kind === 'ip' ? s('polygon', {points: '0,-13 13,0 0,13 -13,0'})
          : s('polygon', {points: '-12,-10 12,-10 0,12'});
    svg.append(s(`g.node.kind-${kind}${n.role ? `.role-${n.role}` : ''}`, {transform: `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`,
      tabindex: 0, role: 'img', 'aria-label': label},
    s('title', label), shape,
    s('text', {y: 26, 'text-anchor': 'middle'}, n.k.value.length > 22 ? n.k.value.slice(0, 21) + '…' : n.k.value)));
  }
  return svg;
}
