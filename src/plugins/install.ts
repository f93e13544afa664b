// `installAllPatches`, `uninstallAllPatches` and `clientHooks`: which integrations are on, with
// which options. The state is process-wide (shared by our ESM and CommonJS builds), so a library
// is never traced twice when both builds are loaded.
import { globalTracer } from '../tracer/global.js';
import { FaultLog } from '../tracer/logger.js';
import type { Tracer } from '../tracer/tracer.js';
import { integrations } from './all.js';
import { checkHeaderNames, checkUrlMatchers } from '../semantics/url-matchers.js';
import type { Integration, IntegrationContext, InstrumentationOptions } from './integration.js';

interface InstallState {
  enabled: Map<string, Integration>;
  faulted: Set<string>;
  context: IntegrationContext | null;
}

const KEY = Symbol.for('opentracing-async-instrumentation.installState');
const holder = globalThis as { [KEY]?: InstallState };
const state: InstallState = (holder[KEY] ??= { enabled: new Map(), faulted: new Set(), context: null });
const faultsWithoutTracer = new FaultLog();

function byName(name: string): Integration | undefined {
  return integrations.find((integration) => integration.name === name);
}

function checkNames(option: string, names: unknown): string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names)) throw new TypeError(`${option} must be an array of integration names`);
  for (const name of names) {
    if (typeof name !== 'string' || byName(name) === undefined) {
      throw new TypeError(`${option}: unknown integration ${JSON.stringify(name)} (available: ${available().join(', ')})`);
    }
  }
  return names as string[];
}

function createContext(options: InstrumentationOptions): IntegrationContext {
  const explicit: Tracer | null = options.tracer ?? null;
  if (explicit !== null && (typeof explicit !== 'object' || typeof explicit.startSpan !== 'function')) {
    throw new TypeError('tracer must be a Tracer (from initTracer)');
  }
  if (options.errorOn4xx !== undefined && typeof options.errorOn4xx !== 'boolean') throw new TypeError('errorOn4xx must be a boolean');
  if (options.recordSqlValues !== undefined && typeof options.recordSqlValues !== 'boolean') throw new TypeError('recordSqlValues must be a boolean');
  if (options.recordS3Keys !== undefined && typeof options.recordS3Keys !== 'boolean') throw new TypeError('recordS3Keys must be a boolean');
  const context: IntegrationContext = {
    options: Object.freeze({
      ignoreUrls: checkUrlMatchers('ignoreUrls', options.ignoreUrls),
      ignorePaths: checkUrlMatchers('ignorePaths', options.ignorePaths),
      errorOn4xx: options.errorOn4xx === true,
      callerNameHeaders: checkHeaderNames('callerNameHeaders', options.callerNameHeaders),
      recordSqlValues: options.recordSqlValues === true,
      recordS3Keys: options.recordS3Keys === true,
    }),
    tracer(): Tracer | null {
      const tracer = explicit ?? globalTracer();
      return tracer === null || tracer.disabled ? null : tracer;
    },
    fault(name: string, error: unknown): void {
      const faults = context.tracer()?.faults ?? faultsWithoutTracer;
      faults.report(`instrumentation of ${name} failed and is switched off`, error);
      state.faulted.add(name);
      disable(name);
    },
  };
  return context;
}

function enable(integration: Integration, context: IntegrationContext): boolean {
  if (state.enabled.has(integration.name)) return true;
  try {
    if (!integration.enable(context)) return false;
  } catch (error) {
    context.fault(integration.name, error);
    return false;
  }
  state.enabled.set(integration.name, integration);
  return true;
}

function disable(name: string): void {
  const integration = state.enabled.get(name);
  if (integration === undefined) return;
  state.enabled.delete(name);
  try {
    integration.disable();
  } catch (error) {
    // Restoring is best effort; the integration is off either way.
    const faults = state.context?.tracer()?.faults ?? faultsWithoutTracer;
    faults.report(`restoring ${name} failed`, error);
  }
}

/**
 * Traces every supported library that is installed (skipping the others silently) and returns the
 * names of the integrations now on. Calling it again changes nothing: the first call's options
 * stay in force until `uninstallAllPatches()`; a later `include` can only add integrations.
 */
export function installAllPatches(options: InstrumentationOptions = {}): string[] {
  if (options === null || typeof options !== 'object') throw new TypeError('installAllPatches options must be an object');
  const include = checkNames('include', options.include);
  const exclude = checkNames('exclude', options.exclude) ?? [];
  const context = state.context ?? createContext(options);
  state.context = context;
  for (const integration of integrations) {
    const name = integration.name;
    if ((include !== undefined && !include.includes(name)) || exclude.includes(name) || state.faulted.has(name)) continue;
    enable(integration, context);
  }
  return installed();
}

/** Restores every patched function and unsubscribes every channel; no span is made afterwards. */
export function uninstallAllPatches(): void {
  for (const name of [...state.enabled.keys()].reverse()) disable(name);
  state.faulted.clear();
  state.context = null;
}

/** Names of the integrations that are on. */
export function installed(): string[] {
  return [...state.enabled.keys()];
}

/** Names of every integration this version has. */
export function available(): string[] {
  return integrations.map((integration) => integration.name);
}

/** Turns one integration on (again, even after a fault); false when its library is not installed. */
export function install(name: string, options: InstrumentationOptions = {}): boolean {
  const integration = byName(name);
  if (integration === undefined) throw new TypeError(`unknown integration ${JSON.stringify(name)} (available: ${available().join(', ')})`);
  state.context ??= createContext(options);
  state.faulted.delete(name);
  return enable(integration, state.context);
}

/** Turns one integration off. */
export function uninstall(name: string): void {
  disable(name);
}

/** The instrumentation controls in one object. */
export const clientHooks = Object.freeze({ install, uninstall, installed, available, installAllPatches, uninstallAllPatches });
