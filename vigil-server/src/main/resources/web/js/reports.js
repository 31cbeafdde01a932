// Reports: the report routes the server offers, found in its OpenAPI document (the server adds them as the report
// work lands); until then the page says how to produce reports with the CLI.

import {h, replace, errorBox, table} from './dom.js';
import {get} from './api.js';

export async function render(main) {
  replace(main, h('h1', 'Reports'), h('p.loading', 'Loading…'));
  try {
    const openapi = await get('/openapi.json');
    const routes = Object.entries(openapi.paths || {}).filter(([path]) => /\/reports?(\/|$)/.test(path))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [method.toUpperCase(), path, op.summary || '']));
    replace(main, h('h1', 'Reports'), routes.length
      ? [h('p', 'The server offers these report routes:'), table(['method', 'path', 'what'], routes, {caption: 'Report routes'})]
      : [h('p', 'This server has no report routes yet, so reports cannot be produced from the browser.'),
        h('p', 'Produce them on the server with the command line, e.g. ', h('code', 'vigil report --help'), '.')]);
  } catch (error) {
    replace(main, h('h1', 'Reports'), errorBox(error));
  }
}
