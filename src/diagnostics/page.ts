import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's files (src/diagnostics/assets, shipped in the package's `files`), found from
 * this module wherever it runs from: src/ under tsx, dist/ or a bundled chunk of dist/.
 */
function assetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src', 'diagnostics', 'assets');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`dusk: the dashboard's page files (src/diagnostics/assets) are missing near ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let cached: { js: string; css: string } | null = null;
export function pageAssets(): { js: string; css: string } {
  if (!cached) {
    const dir = assetsDir();
    cached = { js: readFileSync(join(dir, 'page.js'), 'utf8'), css: readFileSync(join(dir, 'page.css'), 'utf8') };
  }
  return cached;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** JSON inside a <script>: '<' escaped so no '</script>' in the data ends the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The live dashboard's page: its script and style come from the same server. */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dusk dashboard</title><link rel="stylesheet" href="/page.css"></head>
<body><div id="app"></div><script src="/page.js"></script></body></html>
`;
}

/** A page that holds everything it shows (script, style, data): opens from disk with no network. */
export function reportHtml(title: string, data: unknown): string {
  const { js, css } = pageAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${css}</style></head>
<body><div id="app"></div>
<script>window.__DUSK_REPORT__ = ${scriptJson(data)};</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script></body></html>
`;
}
