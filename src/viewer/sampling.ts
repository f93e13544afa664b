// The sampling manager endpoint (`GET /sampling?service=NAME`, port 5778), answering from a
// strategies file in Jaeger's own format (`service_strategies`, `default_strategy`,
// `operation_strategies`; types `probabilistic` and `ratelimiting`). The file is read again when
// its modification time changes; a file that does not parse keeps the last good one.
import { readFileSync, statSync } from 'node:fs';

interface FileStrategy {
  type?: string;
  param?: number;
  operation_strategies?: { operation?: string; type?: string; param?: number }[];
}

interface StrategiesFile {
  service_strategies?: (FileStrategy & { service?: string })[];
  default_strategy?: FileStrategy;
}

/** With no file, everything is sampled: a development viewer wants every trace. */
const DEFAULT: FileStrategy = { type: 'probabilistic', param: 1 };

function response(strategy: FileStrategy, defaults: FileStrategy): object {
  const type = strategy.type ?? 'probabilistic';
  const param = typeof strategy.param === 'number' ? strategy.param : 1;
  const operations = (strategy.operation_strategies ?? defaults.operation_strategies ?? [])
    .filter((op) => typeof op.operation === 'string' && (op.type ?? 'probabilistic') === 'probabilistic');
  if (type === 'ratelimiting') {
    return { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: Math.floor(param) } };
  }
  const probabilistic = { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: param } };
  if (operations.length === 0) return probabilistic;
  return {
    ...probabilistic,
    operationSampling: {
      defaultSamplingProbability: param,
      defaultLowerBoundTracesPerSecond: 0,
      perOperationStrategies: operations.map((op) => ({ operation: op.operation, probabilisticSampling: { samplingRate: op.param ?? 1 } })),
      defaultUpperBoundTracesPerSecond: 0,
    },
  };
}

function validate(document: unknown): StrategiesFile {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new Error('not a JSON object');
  const file = document as StrategiesFile;
  const check = (s: FileStrategy, where: string): void => {
    if (s.type !== undefined && s.type !== 'probabilistic' && s.type !== 'ratelimiting') throw new Error(`${where}: unknown type ${JSON.stringify(s.type)}`);
    if (s.param !== undefined && (typeof s.param !== 'number' || s.param < 0 || (s.type !== 'ratelimiting' && s.param > 1))) {
      throw new Error(`${where}: bad param ${JSON.stringify(s.param)}`);
    }
  };
  if (file.default_strategy !== undefined) check(file.default_strategy, 'default_strategy');
  for (const s of file.service_strategies ?? []) check(s, `service ${JSON.stringify(s.service)}`);
  return file;
}

export class SamplingStrategies {
  private file: StrategiesFile = {};
  private mtimeMs = -1;
  lastError = '';

  constructor(private readonly path: string | undefined, private readonly warn: (message: string) => void = () => {}) {
    this.refresh();
  }

  /** Re-reads the file if it changed; cheap enough to call per request (one stat). */
  refresh(): void {
    if (this.path === undefined) return;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch (error) {
      this.report(`cannot read ${this.path}: ${(error as Error).message}`);
      return;
    }
    if (mtimeMs === this.mtimeMs) return;
    this.mtimeMs = mtimeMs;
    try {
      this.file = validate(JSON.parse(readFileSync(this.path, 'utf8')));
      this.lastError = '';
    } catch (error) {
      this.report(`ignoring ${this.path}: ${(error as Error).message}; keeping the previous strategies`);
    }
  }

  private report(message: string): void {
    if (message !== this.lastError) this.warn(message);
    this.lastError = message;
  }

  strategyFor(service: string): object {
    this.refresh();
    const defaults = this.file.default_strategy ?? DEFAULT;
    const own = this.file.service_strategies?.find((s) => s.service === service);
    return response(own ?? defaults, defaults);
  }
}
