type Operation = {
  summary?: string;
  description?: string;
  'x-shoal-action'?: string;
  parameters?: { name: string; in: string }[];
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A self-contained HTML reference rendered from the OpenAPI document (no scripts, no CDN). */
export function renderDocsPage(openapi: {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}): string {
  const rows = Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([
        method,
        op,
      ]) => `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td>
<td>${escapeHtml(op.summary ?? '')}</td><td>${op['x-shoal-action'] ? `<code>${escapeHtml(op['x-shoal-action'])}</code>` : 'public'}</td></tr>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(openapi.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
code{font-size:13px}</style></head><body>
<h1>${escapeHtml(openapi.info.title)} <small>${escapeHtml(openapi.info.version)}</small></h1>
<p>Authenticate with <code>Authorization: Bearer shoal_…</code> or a dashboard session cookie (state-changing cookie
requests also send <code>X-CSRF-Token</code>). Errors are <code>{ "error": { "code", "message", "details?", "requestId" } }</code>.
The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>action</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>`;
}
