export const SESSION_COOKIE = 'shoal_session';
export const CSRF_COOKIE = 'shoal_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // A cookie that is not valid percent-encoding is ignored, as browsers do.
    }
  }
  return cookies;
}

export function serializeCookie(
  name: string,
  value: string,
  options: { maxAgeSeconds: number; httpOnly: boolean; sameSite: 'Strict' | 'Lax'; secure: boolean },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    `SameSite=${options.sameSite}`,
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The session cookie is HttpOnly; the CSRF cookie is readable by the dashboard's script,
 * which echoes it in X-CSRF-Token (double submit, checked against the hash stored with the session).
 */
export function sessionCookies(
  token: string,
  csrfToken: string,
  maxAgeSeconds: number,
  secure: boolean,
): string[] {
  return [
    serializeCookie(SESSION_COOKIE, token, { maxAgeSeconds, httpOnly: true, sameSite: 'Lax', secure }),
    serializeCookie(CSRF_COOKIE, csrfToken, { maxAgeSeconds, httpOnly: false, sameSite: 'Strict', secure }),
  ];
}

export const clearedSessionCookies = (secure: boolean): string[] => sessionCookies('', '', 0, secure);
