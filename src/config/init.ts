import { Tracer } from '../tracer/tracer.js';
import { defaultLogger } from '../tracer/logger.js';
import { setGlobalTracer } from '../tracer/global.js';
import { ConstSampler } from '../sampling/const.js';
import { createSampler } from '../sampling/create-sampler.js';
import { createPropagation } from '../propagation/index.js';
import { createReporter } from '../reporting/index.js';
import { NoneReporter } from '../reporting/none.js';
import { configFromEnv } from './env.js';
import { validateConfig, validateOptions } from './validate.js';
import { normalizeConfig } from './normalize.js';
import { mergeConfig, resolveConfig } from './resolve.js';
import type { TracerOptions, TracingConfig } from './options.js';
import { jaegerClientParts, requireServiceName } from '../jaeger-client/options.js';

function build(config: TracingConfig, options: TracerOptions): Tracer {
  const resolved = resolveConfig(config);
  const logger = options.logger ?? defaultLogger;
  const tags = { ...resolved.tags, ...options.tags };
  // jaeger-client's options (metrics, its reporters, the debug-id bucket): see src/jaeger-client/.
  const compat = jaegerClientParts(options, resolved.serviceName, tags);
  const parts = {
    serviceName: resolved.serviceName,
    tags,
    logger,
    limits: resolved.limits,
    propagation: createPropagation(resolved.propagators),
  };
  // A disabled tracer opens no socket and starts no timer or poller.
  const tracer = resolved.disable
    ? new Tracer({ ...parts, disabled: true, sampler: new ConstSampler(false), reporter: new NoneReporter() })
    : new Tracer({
        ...parts,
        sampler: options.sampler ?? createSampler(resolved.sampler, resolved.serviceName, logger, compat.onSamplerPoll),
        reporter: compat.reporter ??
          createReporter(resolved.reporter, { serviceName: resolved.serviceName, processTags: tags, logger, metrics: compat.metrics }),
        metrics: compat.metrics,
        debugLimiter: compat.debugLimiter,
      });
  compat.configure(tracer);
  if (resolved.global) setGlobalTracer(tracer);
  return tracer;
}

/**
 * Creates a tracer from jaeger-client's config shape (plus ours) and, unless `global: false`,
 * makes it the global tracer. Throws a TypeError naming any invalid option.
 */
export function initTracer(config: TracingConfig = {}, tracerOptions?: TracerOptions | null): Tracer {
  const options = validateOptions(tracerOptions);
  const checked = normalizeConfig(config, options, warnWith(options));
  validateConfig(checked);
  requireServiceName(checked);
  return build(checked, options);
}

/**
 * Like `initTracer`, from `JAEGER_*` and `OTEL_*` environment variables; `overrides` win over the
 * environment. Invalid environment values are reported once and ignored, never thrown.
 */
export function initTracerFromEnv(overrides: TracingConfig = {}, tracerOptions?: TracerOptions | null): Tracer {
  const options = validateOptions(tracerOptions);
  const checked = normalizeConfig(overrides, options, warnWith(options));
  validateConfig(checked);
  const fromEnv = configFromEnv(process.env, options.logger ?? defaultLogger);
  return build(mergeConfig(fromEnv, checked), options);
}

function warnWith(options: TracerOptions): (message: string) => void {
  const logger = options.logger ?? defaultLogger;
  return (message) => {
    try {
      (logger.warn ?? logger.error)?.call(logger, message);
    } catch {
      // a user logger that throws must not break init
    }
  };
}
