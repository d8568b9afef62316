export type PathSegment = string | number;

/** RFC 6901: `['steps', 0, 'with', 'a/b']` → `/steps/0/with/a~1b`; the root is ``. */
export function toPointer(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
