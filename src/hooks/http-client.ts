// node:http and node:https clients on Nodes without the `http.client.request.created` channel
// (before 22.12 / 23.2): a minimal wrap of `request` and `get` that publishes the new request on
// our own channel, before its headers are written, in the caller's async context.
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { HOOK_HTTP_CLIENT_REQUEST_CREATED, HTTP_CLIENT_REQUEST_CREATED } from './channels.js';
import { replaceMethod } from './wrap.js';

const created = dc.channel(HOOK_HTTP_CLIENT_REQUEST_CREATED);

function nodePublishesRequestCreated(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

/** The channel announcing new client requests as `{ request }`: Node's own where it exists, else ours. */
export const requestCreatedChannel: string = nodePublishesRequestCreated(process.versions.node)
  ? HTTP_CLIENT_REQUEST_CREATED
  : HOOK_HTTP_CLIENT_REQUEST_CREATED;

/** Whether this Node needs the wrap (false where Node publishes `http.client.request.created`). */
export const needsRequestWrap: boolean = requestCreatedChannel === HOOK_HTTP_CLIENT_REQUEST_CREATED;

type RequestFunction = (this: unknown, ...args: never[]) => ClientRequest;

function announce(request: ClientRequest): void {
  if (created.hasSubscribers) created.publish({ request });
}

function wrapRequest(original: RequestFunction): RequestFunction {
  return function request(this: unknown, ...args: never[]): ClientRequest {
    const req = original.apply(this, args);
    announce(req);
    return req;
  };
}

// Node's own `get` calls its module's original `request` and ends the request at once, before
// anyone could add a header; so ours does the same with the announcement in between.
function wrapGet(originalRequest: RequestFunction): (original: RequestFunction) => RequestFunction {
  return () => function get(this: unknown, ...args: never[]): ClientRequest {
    const req = originalRequest.apply(this, args);
    announce(req);
    req.end();
    return req;
  };
}

let restorers: (() => void)[] | null = null;

/** Wraps `http`/`https` `request` and `get` (once); ESM importers see the wraps too. */
export function enableHttpClientHook(): void {
  if (restorers !== null || !needsRequestWrap) return;
  restorers = [];
  for (const module of [http, https]) {
    const originalRequest = module.request as unknown as RequestFunction;
    restorers.push(replaceMethod(module as unknown as Record<'request', RequestFunction>, 'request', wrapRequest));
    restorers.push(replaceMethod(module as unknown as Record<'get', RequestFunction>, 'get', wrapGet(originalRequest)));
  }
  syncBuiltinESMExports();
}

/** Puts the original functions back. */
export function disableHttpClientHook(): void {
  if (restorers === null) return;
  for (const restore of restorers) restore();
  restorers = null;
  syncBuiltinESMExports();
}
