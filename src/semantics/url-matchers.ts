// `ignoreUrls` and `ignorePaths`: which requests are not traced, and the check of those options.

/** A string matches a URL prefix or an exact path; a RegExp the full URL (or path with query). */
export type UrlMatcher = string | RegExp;

/** Validates a matcher list option once, at the public edge; a wrong one is a TypeError naming it. */
export function checkUrlMatchers(option: string, matchers: unknown): UrlMatcher[] {
  if (matchers === undefined) return [];
  if (!Array.isArray(matchers) || !matchers.every((m) => typeof m === 'string' || m instanceof RegExp)) {
    throw new TypeError(`${option} must be an array of strings and RegExps`);
  }
  return [...matchers] as UrlMatcher[];
}

/** Validates a list of header names; returns them in lower case. */
export function checkHeaderNames(option: string, names: unknown): string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) throw new TypeError(`${option} must be an array of strings`);
  return (names as string[]).map((name) => name.toLowerCase());
}

function pathWithoutQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/** `ignoreUrls`: a string matches a URL prefix or the exact path, a RegExp the full URL. */
export function isIgnoredUrl(matchers: readonly UrlMatcher[], url: string, path: string): boolean {
  for (const matcher of matchers) {
    if (typeof matcher === 'string') {
      if (url.startsWith(matcher) || pathWithoutQuery(path) === matcher) return true;
    } else {
      matcher.lastIndex = 0; // a /g or /y RegExp keeps state between calls
      if (matcher.test(url)) return true;
    }
  }
  return false;
}

/** `ignorePaths`: true when `url` (path with optional query) matches one of them. */
export function isIgnoredPath(ignorePaths: readonly UrlMatcher[], url: string): boolean {
  if (ignorePaths.length === 0) return false;
  const path = pathWithoutQuery(url);
  for (const matcher of ignorePaths) {
    if (typeof matcher === 'string' ? matcher === path : matcher.test(url)) return true;
  }
  return false;
}
