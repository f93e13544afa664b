// The viewer for bench/viewer.ts, in its own process so that its CPU time is its own: reports its
// ports, then answers { spans, cpuMicros } whenever asked.
import { startViewer } from '../src/viewer/viewer.js';

const viewer = await startViewer({ udpPort: 0, udpBinaryPort: 0, collectorPort: 0, otlpPort: 0, uiPort: 0, samplingPort: 0, maxSpans: 1_000_000, maxBytes: 4 * 1024 ** 3 });
process.send!({ ports: viewer.ports });
process.on('message', (message: string) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    const received = Object.values(viewer.receivers).reduce((n, r) => n + r.spans, 0);
    process.send!({ spans: received, cpuMicros: cpu.user + cpu.system });
  } else if (message === 'exit') {
    void viewer.close().then(() => process.exit(0));
  }
});
