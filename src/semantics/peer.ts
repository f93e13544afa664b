// Peer tags, the same on every span kind: `peer.hostname`, `peer.port`, and `peer.ipv4` or
// `peer.ipv6` only when the address really is an IP literal.
import { isIP, isIPv4 } from 'node:net';
import type { Span } from '../tracer/span.js';

/**
 * Where an address comes from, which decides how much it is trusted and how it is written:
 * - `socket`: a socket's `remoteAddress`, always an IP (no validation); IPv4-mapped IPv6 as IPv4;
 * - `address`: a client address from elsewhere (a wrapper, a header): validated, mapped likewise;
 * - `hostname`: a host name as the caller wrote it (`db.example.com`, `10.0.0.5`, `::1`): an IP
 *   only if it is a literal, kept as written.
 */
export type PeerAddressSource = 'socket' | 'address' | 'hostname';

/**
 * `net.isIP`, without its regular expressions for what cannot be an IP: an IPv6 address has a
 * colon, an IPv4 one only digits and dots (host names such as `api.example.com` end here).
 */
function ipVersionOf(address: string): number {
  if (address.includes(':')) return isIP(address);
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code !== 46 /* . */ && (code < 48 || code > 57)) return 0;
  }
  return isIP(address);
}

/** Tags `peer.ipv4` or `peer.ipv6` when `address` is an IP; on a span just started (appends). */
export function tagPeerIp(span: Span, address: string | undefined, source: PeerAddressSource): void {
  if (address === undefined || address === '') return;
  if (source === 'hostname') {
    const version = ipVersionOf(address);
    if (version === 4) span._appendTag('peer.ipv4', address);
    else if (version === 6) span._appendTag('peer.ipv6', address);
    return;
  }
  const fromSocket = source === 'socket';
  if (address.indexOf(':') === -1) {
    if (fromSocket || isIPv4(address)) span._appendTag('peer.ipv4', address);
  } else if (address.startsWith('::ffff:') && (fromSocket ? address.indexOf('.') !== -1 : isIPv4(address.slice(7)))) {
    span._appendTag('peer.ipv4', address.slice(7));
  } else if (fromSocket || isIP(address) === 6) {
    span._appendTag('peer.ipv6', address);
  }
}

/** `peer.hostname`, `peer.port` (when known) and the IP tag of a host the caller named. */
export function tagPeerHost(span: Span, hostname: string | undefined, port: number | undefined): void {
  const named = hostname !== undefined && hostname !== '';
  if (named) span._appendTag('peer.hostname', hostname);
  if (port !== undefined && port > 0) span._appendTag('peer.port', port);
  if (named) tagPeerIp(span, hostname, 'hostname');
}

/** `[::1]` → `::1`; other host names unchanged. */
export function unbracket(hostname: string): string {
  return hostname.charCodeAt(0) === 91 /* [ */ && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
