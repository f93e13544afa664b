// The one lifecycle every integration goes through. An integration declares what it needs (plain
// channels, TracingChannels, module hooks, patches with their undo); this file subscribes, guards
// and undoes. A handler that throws switches its integration off and is logged once through the
// fault log; the publisher (the host app) goes on as if nothing had listened.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import { hookModules, isInstalled } from '../hooks/registry.js';
import type { ModuleHook, ModuleHookEntry } from '../hooks/registry.js';
import type { Integration, IntegrationContext } from './integration.js';

/** A handler of channel messages; typed by the integration, guarded by the lifecycle. */
type Handler = (message: never) => void;

/** A plain channel (`diagnostics_channel.channel(name)`) and what to do with its messages. */
export interface ChannelSubscription {
  readonly channel: string;
  readonly handler: Handler;
}

/**
 * A TracingChannel (`diagnostics_channel.tracingChannel(name)`: `tracing:<name>:start`, ...) and
 * its handlers. A library's `tracePromise` fires `end` before the promise settles: finish spans
 * on `asyncEnd` (and `error`) there, on `end` for synchronous calls.
 */
export interface TracingChannelSubscription {
  readonly channel: string;
  readonly start?: Handler;
  readonly end?: Handler;
  readonly asyncStart?: Handler;
  readonly asyncEnd?: Handler;
  readonly error?: Handler;
  /**
   * The span the traced function (and everything it continues) runs in, bound with
   * `start.bindStore(spanStore, ...)`; runs before `start`'s handler. Return undefined to leave
   * the active span as it is. Usually: start the span here, keep it on the message, return it.
   */
  readonly activeSpan?: (message: never) => Span | null | undefined;
}

/** What an integration subscribes to and patches, made when it is enabled. */
export interface IntegrationParts {
  readonly channels?: readonly ChannelSubscription[];
  readonly tracingChannels?: readonly TracingChannelSubscription[];
  /** Patches of packages as they load (see hooks/registry.ts). */
  readonly moduleHooks?: readonly ModuleHookEntry[];
  /**
   * Anything else to do on enable (patching a Node built-in, binding a hook's scope), each
   * returning its undo. Run in order; undone in reverse.
   */
  readonly patches?: readonly (() => (() => void) | void)[];
}

/** Helpers for the code of an integration that runs outside a channel handler. */
export interface IntegrationTools {
  /** Reports a fault: logged once, the integration switched off. */
  fault(error: unknown): void;
  /** `fn`, guarded like a channel handler (a throw is a fault; returns undefined then). */
  guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined;
  /** Whether the integration is on (hooks left on a library's objects check it and do nothing once off). */
  isEnabled(): boolean;
}

export interface IntegrationDefinition {
  /** The name users pass to `include`/`exclude`/`install`. */
  readonly name: string;
  /** Packages of which one must be installed for the integration to turn on; omit for Node's own modules. */
  readonly packages?: readonly string[];
  /** What to subscribe and patch, given the context (tracer, options) and the tools. */
  setup(context: IntegrationContext, tools: IntegrationTools): IntegrationParts;
}

interface Enabled {
  readonly undo: (() => void)[];
}

/** An Integration from its declaration. */
export function defineIntegration(definition: IntegrationDefinition): Integration {
  const { name } = definition;
  let enabled: Enabled | null = null;

  return {
    name,
    enable(context: IntegrationContext): boolean {
      if (enabled !== null) return true;
      if (definition.packages !== undefined && !definition.packages.some(isInstalled)) return false;
      const state: Enabled = { undo: [] };
      enabled = state;
      const fault = (error: unknown): void => {
        if (enabled === state) context.fault(name, error);
      };
      const guard = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R | undefined => {
        try {
          return fn(...args);
        } catch (error) {
          fault(error);
          return undefined;
        }
      };
      const tools: IntegrationTools = { fault, guard, isEnabled: () => enabled === state };
      try {
        const parts = definition.setup(context, tools);
        for (const { channel, handler } of parts.channels ?? []) {
          const guarded = guard(handler as (message: unknown) => void);
          diagnosticsChannel.subscribe(channel, guarded);
          state.undo.push(() => diagnosticsChannel.unsubscribe(channel, guarded));
        }
        for (const subscription of parts.tracingChannels ?? []) subscribeTracing(subscription, guard, state.undo);
        if (parts.moduleHooks !== undefined && parts.moduleHooks.length > 0) {
          const hook: ModuleHook = hookModules(parts.moduleHooks, fault);
          state.undo.push(() => hook.unhook());
        }
        for (const patch of parts.patches ?? []) {
          const restore = patch();
          if (typeof restore === 'function') state.undo.push(restore);
        }
      } catch (error) {
        enabled = null;
        try {
          undoAll(state);
        } catch (undoError) {
          context.fault(name, undoError); // the setup's own error is reported by the caller
        }
        throw error;
      }
      return true;
    },
    disable(): void {
      const state = enabled;
      if (state === null) return;
      enabled = null;
      undoAll(state);
    },
  };
}

/** Undoes everything, latest first; one failing undo does not stop the others. */
function undoAll(state: Enabled): void {
  let failure: unknown;
  for (const restore of state.undo.splice(0).reverse()) {
    try {
      restore();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

function subscribeTracing(
  subscription: TracingChannelSubscription,
  guard: <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R | undefined,
  undo: (() => void)[],
): void {
  const channels = diagnosticsChannel.tracingChannel(subscription.channel);
  const activeSpan = subscription.activeSpan as ((message: unknown) => Span | null | undefined) | undefined;
  if (activeSpan !== undefined) {
    const guarded = guard(activeSpan);
    // A store transform runs in the publisher's call: it must never throw, and returns the
    // current span when it has nothing to say.
    channels.start.bindStore(spanStore, (message: unknown) => {
      const span = guarded(message);
      return span === undefined ? spanStore.getStore() ?? null : span;
    });
    undo.push(() => channels.start.unbindStore(spanStore));
  }
  for (const event of EVENTS) {
    const handler = subscription[event];
    if (handler === undefined) continue;
    const guarded = guard(handler as (message: unknown) => void);
    channels[event].subscribe(guarded);
    undo.push(() => channels[event].unsubscribe(guarded));
  }
}
