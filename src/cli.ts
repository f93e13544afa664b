#!/usr/bin/env node
// `opentracing-async-instrumentation view|demo`: the local trace viewer, and a demo that shows a
// multi-service trace in it. Errors are one line on stderr and exit code 1.
import { UsageError, flagsHelp, parseViewFlags } from './viewer/cli-args.js';
import { runDemo } from './viewer/demo.js';
import { PortError } from './viewer/receivers.js';
import { startViewer } from './viewer/viewer.js';
import type { Viewer } from './viewer/viewer.js';

const NAME = 'opentracing-async-instrumentation';
const USAGE = `Usage: ${NAME} <command> [flags]

Commands:
  view    run the trace viewer: receives spans on Jaeger's and OTLP's ports, UI on 16686
  demo    run the viewer (or use a running one) with example services, send requests, print trace URLs

Flags (view and demo):
${flagsHelp()}
  --help                   show this help
`;

function printPorts(viewer: Viewer): void {
  const p = viewer.ports;
  const h = viewer.host;
  process.stdout.write(`Trace viewer: ${viewer.uiUrl('/')}
  Jaeger agent UDP compact  ${h}:${p.udpPort}
  Jaeger agent UDP binary   ${h}:${p.udpBinaryPort}
  Jaeger collector HTTP     http://${h}:${p.collectorPort}/api/traces
  OTLP/HTTP                 http://${h}:${p.otlpPort}/v1/traces
  Sampling manager          http://${h}:${p.samplingPort}/sampling?service=NAME
  Stored spans              ${viewer.store.spanCount}${viewer.loaded.spans > 0 ? ' (read back from the store file)' : ''}
`);
}

function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function main(argv: readonly string[]): Promise<void> {
  const { options, rest, help } = parseViewFlags(argv);
  const command = rest[0];
  if (help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    if (command === undefined && !help) process.exitCode = 1;
    return;
  }
  if (rest.length > 1) throw new UsageError(`unexpected argument ${rest[1]}`);
  if (command === 'view') {
    const viewer = await startViewer(options);
    printPorts(viewer);
    onStop(() => viewer.close());
    return;
  }
  if (command === 'demo') {
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    const demo = await runDemo(options, say, onStop);
    say(`\nTraces (open them in the browser):`);
    for (const trace of demo.traces) say(`  ${trace.request.padEnd(24)} ${String(trace.status).padEnd(4)} ${trace.url}`);
    say(`\nViewer: ${demo.viewerUrl}   Gateway: ${demo.gatewayUrl} (try ${demo.gatewayUrl}/checkout/book)`);
    say('Press Ctrl-C to stop.');
    return;
  }
  throw new UsageError(`unknown command ${command} (commands: view, demo)`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof PortError;
  process.stderr.write(`${NAME}: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
