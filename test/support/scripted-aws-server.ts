// A loopback server that answers each request with the next scripted reply (500 then 200, an S3
// error with its request ids, ...) and checks every request's AWS Signature Version 4 with its own
// implementation on node:crypto, so a test can prove that each attempt of a retried call is still
// signed correctly and that no trace header ended up among the signed headers.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  signedHeaders: string[];
  signatureValid: boolean;
}

export interface ScriptedAwsServer {
  endpoint: string;
  requests: SignedRequest[];
  /** Replies for the next requests, in order; when none is left, 500. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search].map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort(([a, x], [b, y]) => (a === b ? (x! < y! ? -1 : 1) : a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

/** Checks `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export function verifySigV4(method: string, rawUrl: string, headers: http.IncomingHttpHeaders, body: Buffer, secretAccessKey: string): { valid: boolean; signedHeaders: string[] } {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(String(headers.authorization ?? ''));
  if (match === null) return { valid: false, signedHeaders: [] };
  const [, credential, signedList, signature] = match;
  const [, date, region, service] = credential!.split('/');
  const signedHeaders = signedList!.split(';');
  const url = new URL(rawUrl, 'http://placeholder');
  const canonicalHeaders = signedHeaders.map((name) => {
    const value = headers[name];
    return `${name}:${(Array.isArray(value) ? value.join(',') : String(value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
  }).join('');
  // A declared body hash must be the body's (unless the payload is declared unsigned or streamed).
  const declared = headers['x-amz-content-sha256'];
  const payloadHash = typeof declared === 'string' ? declared : sha256(body);
  if (/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== sha256(body)) return { valid: false, signedHeaders: signedList!.split(';') };
  // S3 signs the path as sent; the other services encode each segment once more.
  const path = service === 's3' ? url.pathname : url.pathname.split('/').map((segment) => rfc3986(segment)).join('/');
  const canonicalRequest = [method, path, canonicalQuery(url.searchParams), canonicalHeaders, signedList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', String(headers['x-amz-date']), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date!), region!), service!), 'aws4_request');
  return { valid: hmac(key, stringToSign).toString('hex') === signature, signedHeaders };
}

export async function startScriptedAwsServer(secretAccessKey: string): Promise<ScriptedAwsServer> {
  const replies: ScriptedReply[] = [];
  const requests: SignedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { valid, signedHeaders } = verifySigV4(req.method!, req.url!, req.headers, Buffer.concat(chunks), secretAccessKey);
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, signedHeaders, signatureValid: valid });
      const reply = replies.shift() ?? { status: 500, body: '{}' };
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (...next) => { replies.push(...next); },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
