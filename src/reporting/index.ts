import type { Logger, Reporter } from '../tracer/types.js';
import type { ResolvedReporterConfig } from '../config/resolve.js';

export interface ReporterContext {
  serviceName: string;
  processTags: Readonly<Record<string, string | number | boolean>>;
  logger: Logger;
}

// PLACEHOLDER: replaced by the reporting work (queue, jaeger-udp, jaeger-http, otlp, console).
export function createReporter(_config: ResolvedReporterConfig, _context: ReporterContext): Reporter {
  return {
    report(): void {},
    async flush(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
