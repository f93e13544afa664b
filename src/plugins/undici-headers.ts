// undici keeps a request's headers as a flat [name, value, ...] array (undici 6+) or as one
// "name: value\r\n" string (undici 5, in early Node 20 releases). `addHeader` would send a second
// `traceparent` when the caller set one: trace headers replace what is there instead.

/** The fields of undici's internal Request object that tracing reads. */
export interface UndiciRequest {
  origin?: unknown;
  path: string;
  method: string;
  headers: unknown;
  upgrade?: unknown;
}

function sameName(candidate: unknown, lowerName: string): boolean {
  return typeof candidate === 'string' && candidate.length === lowerName.length && candidate.toLowerCase() === lowerName;
}

/** Sets header `lowerName` (lower case) to `value`, replacing every existing one of that name. */
export function setRequestHeader(request: UndiciRequest, lowerName: string, value: string): void {
  const headers = request.headers;
  if (Array.isArray(headers)) {
    let replaced = false;
    for (let i = 0; i < headers.length; i += 2) {
      if (!sameName(headers[i], lowerName)) continue;
      if (replaced) {
        headers.splice(i, 2);
        i -= 2;
      } else {
        headers[i + 1] = value;
        replaced = true;
      }
    }
    if (!replaced) headers.push(lowerName, value);
  } else if (typeof headers === 'string') {
    let kept = '';
    for (const line of headers.split('\r\n')) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (!sameName(colon === -1 ? line : line.slice(0, colon).trim(), lowerName)) kept += `${line}\r\n`;
    }
    request.headers = `${kept}${lowerName}: ${value}\r\n`;
  }
}

/**
 * Whether a request comes from undici's `fetch` (global or the package's) rather than its
 * dispatcher API: fetch always sends `sec-fetch-mode`, as the Fetch standard requires.
 */
export function isFetchRequest(request: UndiciRequest): boolean {
  const headers = request.headers;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (sameName(headers[i], 'sec-fetch-mode')) return true;
    return false;
  }
  return typeof headers === 'string' && headers.toLowerCase().includes('sec-fetch-mode:');
}
