import type { Logger, Reporter } from '../tracer/types.js';
import type { ResolvedReporterConfig } from '../config/resolve.js';
import type { ExporterName } from '../config/options.js';
import type { Exporter, ExporterContext } from './exporter.js';
import { BatchingReporter } from './batching-reporter.js';
import { ConsoleExporter } from './console.js';
import { JaegerHttpExporter } from './jaeger-http.js';
import { JaegerUdpExporter } from './jaeger-udp.js';
import { NoneReporter } from './none.js';
import { OtlpHttpExporter } from './otlp-http.js';
import { TeeExporter } from './tee.js';

import type { ReporterMetrics } from './batching-reporter.js';

export type { ReporterMetrics, ReporterStats } from './batching-reporter.js';

export interface ReporterContext {
  serviceName: string;
  processTags: Readonly<Record<string, string | number | boolean>>;
  logger: Logger;
  metrics?: ReporterMetrics;
}

function exporterFor(name: ExporterName, config: ResolvedReporterConfig, context: ExporterContext): Exporter | null {
  switch (name) {
    case 'jaeger-udp':
    case 'jaeger-udp-binary':
      return new JaegerUdpExporter({
        host: config.agentHost,
        port: config.agentPort,
        maxPacketSize: config.maxPacketSize,
        protocol: name === 'jaeger-udp' ? 'compact' : 'binary',
        // Test runs (NODE_ENV=test) that leave the exporter at its default are not told about it.
        defaultAgent: config.defaultAgent && process.env['NODE_ENV'] !== 'test',
      }, context);
    case 'jaeger-http':
      return new JaegerHttpExporter({
        endpoint: config.collectorEndpoint ?? 'http://localhost:14268/api/traces',
        username: config.username,
        password: config.password,
        authToken: config.authToken,
        headers: config.headers,
      }, context);
    case 'otlp':
    case 'otlp-json':
      return new OtlpHttpExporter({
        endpoint: config.otlpEndpoint,
        protocol: name === 'otlp' ? 'protobuf' : 'json',
        headers: config.headers,
      }, context);
    case 'console':
      return new ConsoleExporter(context);
    case 'none':
      return null;
  }
}

/**
 * The tracer's reporter for a resolved config: a bounded, batching queue in front of the chosen
 * exporters (each gets every batch), plus the console when `logSpans` is set. Exporter `none`
 * reports nothing.
 */
export function createReporter(config: ResolvedReporterConfig, context: ReporterContext): Reporter {
  const names = [config.exporter, ...config.alsoExportTo];
  if (config.logSpans && !names.includes('console')) names.push('console');
  // The first exporter's outcome is the one the reporter counts; the others are teed off it.
  let exporter: Exporter | null = null;
  for (const name of names) {
    const next = exporterFor(name, config, context);
    if (next !== null) exporter = exporter === null ? next : new TeeExporter(exporter, next);
  }
  if (exporter === null) return new NoneReporter();
  return new BatchingReporter(exporter, {
    maxQueueSize: config.maxQueueSize,
    flushIntervalMs: config.flushIntervalMs,
    logger: context.logger,
    metrics: context.metrics,
  });
}
