import { createHash } from 'node:crypto';

const STYLE = `
  :root { color-scheme: light dark; --line: #8884; --muted: #888; }
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; }
  h1 { margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 1px solid var(--line); text-transform: capitalize; }
  form { display: flex; gap: 8px; margin: 16px 0; } input { flex: 1; font: inherit; padding: 6px 8px; }
  button { font: inherit; padding: 6px 14px; cursor: pointer; }
  details { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; }
  .method { font: 600 12px monospace; min-width: 56px; text-align: center; padding: 2px 6px; border-radius: 4px; color: #fff; }
  .GET { background: #2b6cb0; } .POST { background: #2f855a; } .PUT { background: #b7791f; }
  .PATCH { background: #805ad5; } .DELETE { background: #c53030; }
  .path { font-family: monospace; font-weight: 600; } .muted { color: var(--muted); }
  .body { padding: 0 16px 12px; } pre { overflow: auto; padding: 10px; border: 1px solid var(--line); border-radius: 4px; font-size: 12px; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
  #status { min-height: 1.5em; }
`;

const SCRIPT = `
(() => {
  const key = 'switchyard.token';
  const $ = (id) => document.getElementById(id);
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const schemaBlock = (title, schema) => {
    const box = element('div');
    box.append(element('h4', '', title), element('pre', '', JSON.stringify(schema, null, 2)));
    return box;
  };
  const render = (document_) => {
    const main = $('operations');
    main.replaceChildren();
    const groups = new Map();
    for (const [path, methods] of Object.entries(document_.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const tag = (operation.tags && operation.tags[0]) || 'other';
        if (!groups.has(tag)) groups.set(tag, []);
        groups.get(tag).push({ path, method: method.toUpperCase(), operation });
      }
    }
    for (const [tag, operations] of groups) {
      main.append(element('h2', '', tag));
      for (const { path, method, operation } of operations) {
        const details = element('details');
        const summary = element('summary');
        summary.append(element('span', 'method ' + method, method), element('span', 'path', path),
          element('span', '', operation.summary || ''), element('span', 'muted', operation['x-switchyard-permission'] || ''));
        const body = element('div', 'body');
        if (operation.description) body.append(element('p', '', operation.description));
        if (operation.parameters && operation.parameters.length) {
          const table = element('table');
          const head = element('tr');
          for (const label of ['parameter', 'in', 'required', 'description']) head.append(element('th', '', label));
          table.append(head);
          for (const parameter of operation.parameters) {
            const row = element('tr');
            for (const value of [parameter.name, parameter.in, parameter.required ? 'yes' : 'no', parameter.description || JSON.stringify(parameter.schema)]) {
              row.append(element('td', '', String(value)));
            }
            table.append(row);
          }
          body.append(table);
        }
        if (operation.requestBody) {
          for (const [type, media] of Object.entries(operation.requestBody.content)) body.append(schemaBlock('Body (' + type + ')', media.schema));
        }
        for (const [status, response] of Object.entries(operation.responses)) {
          const media = response.content && Object.values(response.content)[0];
          if (Number(status) < 400 && media && media.schema) body.append(schemaBlock(status + ' ' + response.description, media.schema));
          else body.append(element('p', 'muted', status + ' ' + response.description));
        }
        details.append(summary, body);
        main.append(details);
      }
    }
  };
  const load = async (token) => {
    $('status').textContent = 'Loading…';
    try {
      const response = await fetch('/openapi.json', { headers: { authorization: 'Bearer ' + token } });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        $('status').textContent = response.status + ': ' + ((problem.error && problem.error.message) || response.statusText);
        return;
      }
      const document_ = await response.json();
      sessionStorage.setItem(key, token);
      $('status').textContent = document_.info.title + ' ' + document_.info.version;
      render(document_);
    } catch (error) {
      $('status').textContent = 'Could not load: ' + error;
    }
  };
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    load($('token').value.trim());
  });
  const saved = sessionStorage.getItem(key);
  if (saved) load(saved);
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard API</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Switchyard API</h1>
<p class="muted">Paste a token to load the API description from this server (<code>/openapi.json</code>).</p>
<form id="login"><input id="token" type="password" autocomplete="off" placeholder="sy_&lt;id&gt;_&lt;secret&gt;" aria-label="token"><button>Load</button></form>
<p id="status" role="status"></p>
<main id="operations"></main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** A CSP source for one inline element: the base64 SHA-256 of its exact text. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy of the docs page: its one inline script and one inline style by hash (no
 * other script, no inline event handler, nothing from elsewhere), requests to this server only.
 */
export const DOCS_PAGE_CSP =
  `default-src 'none'; script-src ${hashSource(SCRIPT)}; style-src ${hashSource(STYLE)}; ` +
  "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The API docs page: one self-contained HTML file (inline CSS and JS, allowed by hash in DOCS_PAGE_CSP,
 * nothing loaded from elsewhere) that asks for a token, fetches `/openapi.json` from this server with it,
 * and renders every operation. The token stays in the tab's sessionStorage.
 */
export function docsPage(): string {
  return PAGE;
}
