// The AWS SDK for JavaScript v3 publishes nothing and has no global middleware hook. Every client
// (`S3Client`, `DynamoDBDocumentClient`, the aggregated `S3`, …) inherits `send` from one shared
// smithy `Client` class, whose module has moved between releases (@aws-sdk/smithy-client,
// @smithy/smithy-client, @smithy/core/client). So the hook does not trust a path: given any
// module's exports, it walks the prototype chain of each exported `…Client` class up to the
// topmost class that owns `send`, and wraps that `send` once. Clients made before the patch share
// the prototype, so they are traced too.
//
// Each call is published on the `HOOK_AWS_SDK_SEND` TracingChannel: `start` runs the SDK's work
// inside the stores bound to it (a plugin's active span), `error` on failure, `asyncEnd` on
// success (each the end of the call). A `start` subscriber may set `input` to have a copy of the
// command's input sent instead (the user's command and input are never changed).
import { AsyncResource } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { HOOK_AWS_SDK_SEND } from './channels.js';
import { replaceMethod } from './wrap.js';

export interface AwsSendMessage {
  /** The client `send` was called on (`client.config` holds `serviceId` and `region`). */
  readonly client: object;
  readonly command: { readonly input?: unknown; readonly constructor: { readonly name: string } };
  /** Set by a `start` subscriber: the input to send instead of `command.input`. */
  input?: Readonly<Record<string, unknown>>;
  /** The call's output (on `asyncEnd`): the object the caller receives, `$metadata` included. */
  output?: Record<string, unknown>;
  /** What the call rejected with (on `error`). */
  error?: unknown;
}

export const sendChannel = diagnosticsChannel.tracingChannel<unknown, AwsSendMessage>(HOOK_AWS_SDK_SEND);

type Callback = (error: unknown, output?: unknown) => void;
type Send = (this: unknown, command: unknown, optionsOrCallback?: unknown, callback?: unknown) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

function failed(message: AwsSendMessage, error: unknown): void {
  message.error = error;
  sendChannel.error.publish(message);
}

function succeeded(message: AwsSendMessage, output: unknown): void {
  if (output !== null && typeof output === 'object') message.output = output as Record<string, unknown>;
  sendChannel.asyncEnd.publish(message);
}

/** The user's command, or one that differs only by its `input` (its prototype is the command). */
function commandToSend(message: AwsSendMessage): unknown {
  const input = message.input;
  if (input === undefined) return message.command;
  return Object.create(message.command, { input: { value: input, writable: true, enumerable: true, configurable: true } });
}

function run(this: unknown, original: Send, message: AwsSendMessage, options: unknown, callback: Callback | undefined): unknown {
  const command = commandToSend(message);
  if (callback !== undefined) {
    const callerCallback = callback;
    const done: Callback = (error, output) => {
      if (error == null) succeeded(message, output);
      else failed(message, error);
      callerCallback(error, output);
    };
    return original.call(this, command, options, done);
  }
  let result: unknown;
  try {
    result = original.call(this, command, options);
  } catch (error) {
    failed(message, error);
    throw error;
  }
  // Registered before the caller's own reactions, so they run first: a subscriber sees (and may
  // tidy) the output before the caller does.
  if (isThenable(result)) result.then((output) => succeeded(message, output), (error: unknown) => failed(message, error));
  return result;
}

function wrapSend(original: Send): Send {
  return function send(this: unknown, command: unknown, optionsOrCallback?: unknown, callback?: unknown) {
    // `start` (not the TracingChannel's own hasSubscribers: Node 20.13+ only); a bound store counts.
    if (!sendChannel.start.hasSubscribers || command === null || typeof command !== 'object') {
      return original.apply(this, arguments as unknown as [unknown, unknown, unknown]);
    }
    const userCallback = typeof optionsOrCallback === 'function' ? optionsOrCallback : typeof callback === 'function' ? callback : undefined;
    const options = typeof optionsOrCallback === 'function' ? undefined : optionsOrCallback;
    // The caller's callback runs in the caller's context, not in the call's.
    const bound = userCallback === undefined ? undefined : (AsyncResource.bind(userCallback as Callback) as Callback);
    const message: AwsSendMessage = { client: this as object, command: command as AwsSendMessage['command'] };
    return sendChannel.start.runStores(message, run, this, original, message, options, bound);
  };
}

const patched = new WeakSet<object>();

/** The topmost prototype in `ctor`'s chain that owns `send` (and `destroy`, as smithy's Client does). */
export function sendOwnerOf(ctor: unknown): { send: Send } | null {
  if (typeof ctor !== 'function') return null;
  let owner: object | null = null;
  for (let proto = (ctor as { prototype?: unknown }).prototype; proto !== null && typeof proto === 'object' && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'send') && typeof (proto as { send: unknown }).send === 'function') owner = proto as object;
  }
  return owner !== null && typeof (owner as { destroy?: unknown }).destroy === 'function' ? (owner as { send: Send }) : null;
}

/**
 * Wraps the shared `send` found through any `…Client` class among `exports` (a client package,
 * or the module that defines the Client class); returns the undo functions of what it wrapped.
 */
export function patchAwsExports(exports: unknown): (() => void)[] {
  const undo: (() => void)[] = [];
  if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return undo;
  const sources = [exports, (exports as { default?: unknown }).default];
  for (const source of sources) {
    if (source === null || (typeof source !== 'object' && typeof source !== 'function')) continue;
    for (const key of Object.keys(source)) {
      if (!key.endsWith('Client')) continue;
      const owner = sendOwnerOf((source as Record<string, unknown>)[key]);
      if (owner === null || patched.has(owner)) continue;
      patched.add(owner);
      const restore = replaceMethod(owner, 'send', wrapSend);
      undo.push(() => {
        patched.delete(owner);
        restore();
      });
    }
  }
  return undo;
}

/**
 * Where the shared Client class has lived (newest first), hooked too in case no client package is
 * seen loading: `@smithy/core`'s `client` submodule, then the older homes' main entries.
 */
export const SMITHY_CLIENT_PACKAGES: readonly { readonly name: string; readonly versions: string; readonly file?: string }[] = [
  { name: '@smithy/core', versions: '*', file: 'dist-cjs/submodules/client/index.js' },
  { name: '@smithy/smithy-client', versions: '*' },
  { name: '@aws-sdk/smithy-client', versions: '*' },
];

/**
 * The AWS SDK v3 client packages the app can load (`@aws-sdk/client-*`, `@aws-sdk/lib-dynamodb`),
 * found by listing the `@aws-sdk` folders on the app's module search path: no list of services.
 */
export function installedAwsClientPackages(): string[] {
  const entry = typeof require === 'function' ? require.main?.filename : process.argv[1];
  const from = entry !== undefined && path.isAbsolute(entry) ? entry : path.join(process.cwd(), 'index.js');
  const names = new Set<string>();
  for (const folder of createRequire(from).resolve.paths('@aws-sdk/x') ?? []) {
    let entries: string[];
    try {
      entries = readdirSync(path.join(folder, '@aws-sdk'));
    } catch {
      continue; // no @aws-sdk packages in this folder
    }
    for (const name of entries) if (name.startsWith('client-') || name === 'lib-dynamodb') names.add(`@aws-sdk/${name}`);
  }
  return [...names].sort();
}
