// Credentials never reach a span: userinfo is dropped and values of sensitive query parameters
// are replaced, in client URLs and server paths alike.

const SENSITIVE_PARAM = /^(?:.*[-_.])?(?:token|access_token|id_token|refresh_token|password|passwd|pwd|secret|client_secret|api_?key|key|sig|signature|auth|authorization|credential|session|sessionid|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)$/i;

export const REDACTED = 'REDACTED';

export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name);
}

/** Whether a raw (still encoded) query parameter name is sensitive. */
function isSensitiveRawName(rawName: string): boolean {
  if (rawName.indexOf('%') === -1 && rawName.indexOf('+') === -1) return SENSITIVE_PARAM.test(rawName);
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // keep the raw name
  }
  return SENSITIVE_PARAM.test(name);
}

/**
 * Redacts the values of sensitive parameters in a query string (without its `?`). Most queries
 * name none: they are scanned in place and returned as they are, nothing split or rebuilt.
 */
function redactQuery(query: string): string {
  const n = query.length;
  let out = '';
  let copied = 0; // query[0, copied) is already in `out`
  let start = 0;
  let eq = -1; // the first '=' at or after `start` (kept across pairs: a query is scanned once)
  while (start < n) {
    let end = query.indexOf('&', start);
    if (end === -1) end = n;
    if (eq !== n && eq < start) {
      eq = query.indexOf('=', start);
      if (eq === -1) eq = n;
    }
    if (eq < end && isSensitiveRawName(query.slice(start, eq))) {
      out += query.slice(copied, eq + 1) + REDACTED;
      copied = end;
    }
    start = end + 1;
  }
  return copied === 0 ? query : out + query.slice(copied);
}

/** A path with query, e.g. `/search?q=1&token=abc` → `/search?q=1&token=REDACTED`. */
export function redactPath(path: string): string {
  const hash = path.indexOf('#');
  const withoutHash = hash === -1 ? path : path.slice(0, hash);
  const q = withoutHash.indexOf('?');
  if (q === -1) return withoutHash;
  return `${withoutHash.slice(0, q)}?${redactQuery(withoutHash.slice(q + 1))}`;
}

/** An absolute URL without userinfo and with sensitive query values redacted. */
export function redactUrl(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme === -1) return redactPath(url);
  const authorityStart = scheme + 3;
  let pathStart = url.length;
  for (const c of ['/', '?', '#']) {
    const i = url.indexOf(c, authorityStart);
    if (i !== -1 && i < pathStart) pathStart = i;
  }
  let authority = url.slice(authorityStart, pathStart);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  return url.slice(0, authorityStart) + authority + redactPath(url.slice(pathStart));
}
