/** Checks a base URL once and drops trailing slashes, so paths can be appended as they are. */
export function compileBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.search || url.hash) throw new TypeError(`baseUrl must not have a query or fragment: ${baseUrl}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

type ParamValue = string | number | boolean;

/** `/v1/api-keys/{id}` + `{ id }` → `/v1/api-keys/…`, each parameter percent-encoded. */
export function expandPath(template: string, params: Record<string, ParamValue> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new TypeError(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` from the defined entries; arrays repeat the key. Empty string when nothing is set. */
export function encodeQuery(
  query: Record<string, ParamValue | readonly ParamValue[] | null | undefined> = {},
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
