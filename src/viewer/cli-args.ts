// `view` flags: parsed once, with the defaults `--help` prints. Bad input is a one-line error.
import { DEFAULT_MAX_SPANS, DEFAULT_PORTS } from './viewer.js';
import type { ViewerOptions } from './viewer.js';

interface Flag {
  name: string;
  key: keyof ViewerOptions;
  kind: 'port' | 'count' | 'text';
  fallback: string;
  help: string;
}

export const VIEW_FLAGS: readonly Flag[] = [
  { name: '--udp-port', key: 'udpPort', kind: 'port', fallback: String(DEFAULT_PORTS.udpPort), help: 'Jaeger agent UDP, compact Thrift' },
  { name: '--udp-binary-port', key: 'udpBinaryPort', kind: 'port', fallback: String(DEFAULT_PORTS.udpBinaryPort), help: 'Jaeger agent UDP, binary Thrift (jaeger-client)' },
  { name: '--collector-port', key: 'collectorPort', kind: 'port', fallback: String(DEFAULT_PORTS.collectorPort), help: 'Jaeger collector HTTP, POST /api/traces' },
  { name: '--otlp-port', key: 'otlpPort', kind: 'port', fallback: String(DEFAULT_PORTS.otlpPort), help: 'OTLP/HTTP, POST /v1/traces (protobuf or JSON, gzip)' },
  { name: '--ui-port', key: 'uiPort', kind: 'port', fallback: String(DEFAULT_PORTS.uiPort), help: 'web UI and Jaeger-style query API' },
  { name: '--sampling-port', key: 'samplingPort', kind: 'port', fallback: String(DEFAULT_PORTS.samplingPort), help: 'sampling manager, GET /sampling?service=NAME' },
  { name: '--sampling-strategies', key: 'samplingStrategies', kind: 'text', fallback: 'none: sample everything', help: "Jaeger strategies file, re-read when it changes" },
  { name: '--host', key: 'host', kind: 'text', fallback: '127.0.0.1', help: 'address every port listens on' },
  { name: '--store', key: 'store', kind: 'text', fallback: 'none: memory only', help: 'append traces to FILE and read them back at start' },
  { name: '--max-spans', key: 'maxSpans', kind: 'count', fallback: String(DEFAULT_MAX_SPANS), help: 'spans kept; the oldest traces go first' },
  { name: '--max-bytes', key: 'maxBytes', kind: 'count', fallback: '268435456', help: 'estimated memory kept for spans' },
];

export class UsageError extends Error {}

export function flagsHelp(flags: readonly Flag[] = VIEW_FLAGS): string {
  const width = Math.max(...flags.map((f) => f.name.length + (f.kind === 'text' ? 5 : f.kind === 'port' ? 5 : 2)));
  return flags.map((f) => {
    const left = `${f.name} ${f.kind === 'text' ? (f.key === 'host' ? 'HOST' : 'FILE') : f.kind === 'port' ? 'PORT' : 'N'}`;
    return `  ${left.padEnd(width + 2)}${f.help} (default: ${f.fallback})`;
  }).join('\n');
}

/** Parses `--flag value` and `--flag=value`; returns the options and the words that were not flags. */
export function parseViewFlags(argv: readonly string[], flags: readonly Flag[] = VIEW_FLAGS): { options: ViewerOptions; rest: string[]; help: boolean } {
  const options: Record<string, unknown> = {};
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags.find((f) => f.name === name);
    if (flag === undefined) throw new UsageError(`unknown flag ${name} (see --help)`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (flag.kind === 'text') {
      options[flag.key] = value;
      continue;
    }
    const n = Number(value);
    const valid = flag.kind === 'port' ? Number.isInteger(n) && n >= 0 && n < 65536 : Number.isInteger(n) && n > 0;
    if (!valid || value.trim() === '') throw new UsageError(`${name} ${JSON.stringify(value)}: expected ${flag.kind === 'port' ? 'a port from 0 to 65535 (0: any free port)' : 'a positive integer'}`);
    options[flag.key] = n;
  }
  return { options: options as ViewerOptions, rest, help };
}
