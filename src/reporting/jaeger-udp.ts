import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Span } from '../tracer/span.js';
import { FaultLog } from '../tracer/logger.js';
import { binaryAgentFormat, compactAgentFormat } from '../encoding/jaeger-envelopes.js';
import type { JaegerBatchFormat } from '../encoding/jaeger-envelopes.js';
import { packSpans } from '../encoding/jaeger-batch.js';
import type { EncodedBatch } from '../encoding/jaeger-batch.js';
import type { Exporter, ExporterContext, ExportResult } from './exporter.js';
import { ExportTracker, sendBatches } from './export-tracking.js';

export interface JaegerUdpOptions {
  host: string;
  port: number;
  /** Largest datagram, envelope included (jaeger-agent reads at most 65 000 bytes). */
  maxPacketSize: number;
  /** `compact` for the agent's port 6831, `binary` for 6832. */
  protocol: 'compact' | 'binary';
  /**
   * The agent address is the default and nothing else was configured: when nobody listens there,
   * say once, plainly, that spans go nowhere and how to change that.
   */
  defaultAgent?: boolean;
}

/** How long `shutdown` waits for datagrams still being handed to the kernel. */
const SHUTDOWN_WAIT_MS = 2000;

/**
 * Sends spans to a jaeger-agent as `Agent.emitBatch` datagrams on a connected, unref'd UDP
 * socket created on first use. Datagrams of one export go out one after another, so a burst does
 * not overflow the agent's receive buffer. UDP only reports a missing listener on a later send
 * (ECONNREFUSED from the ICMP reply), so some datagrams to a dead port still count as sent.
 */
export class JaegerUdpExporter implements Exporter {
  private readonly format: JaegerBatchFormat;
  private readonly faults: FaultLog;
  private readonly exports: ExportTracker;
  private socket: Promise<dgram.Socket | null> | null = null;
  private connected: dgram.Socket | null = null;
  /** Set once shutdown stops waiting: sends still pending count as failed. */
  private sendsReleased = false;
  /** Each settles one pending connect or send as failed; called when shutdown stops waiting. */
  private readonly giveUps = new Set<() => void>();

  constructor(private readonly options: JaegerUdpOptions, context: ExporterContext) {
    this.format = options.protocol === 'binary'
      ? binaryAgentFormat(context.serviceName, context.processTags)
      : compactAgentFormat(context.serviceName, context.processTags);
    this.faults = new FaultLog(context.logger);
    this.exports = new ExportTracker(this.faults, 'jaeger-udp');
  }

  export(spans: readonly Span[]): Promise<ExportResult> {
    return this.exports.run(spans, this.send);
  }

  /** Connects ahead of the first export, so that a crash before it can still send (see exportSync). */
  prepare(): void {
    void this.connect();
  }

  /**
   * On a connected socket, `send` reaches the kernel before it returns (libuv writes at once when
   * nothing is queued ahead): the datagrams leave even though the process ends right after.
   */
  exportSync(spans: readonly Span[]): void {
    if (this.exports.closed) return;
    const socket = this.connected ?? this.connectNow();
    if (socket === null) return;
    const packed = packSpans(this.format, spans, this.options.maxPacketSize);
    for (const batch of packed.batches) {
      try {
        socket.send(batch.parts);
      } catch (error) {
        this.faults.report('jaeger-udp send', error);
      }
    }
  }

  async shutdown(): Promise<void> {
    if (this.exports.closed) return;
    await this.exports.close(SHUTDOWN_WAIT_MS);
    this.sendsReleased = true;
    for (const giveUp of this.giveUps) giveUp();
    if (this.connected !== null) closeQuietly(this.connected);
  }

  private readonly send = async (spans: readonly Span[]): Promise<ExportResult> => {
    const packed = packSpans(this.format, spans, this.options.maxPacketSize);
    if (packed.failed > 0) this.faults.report('jaeger-udp encode', new Error(`${packed.failed} spans could not be encoded`));
    const socket = packed.batches.length > 0 ? await this.orReleased(this.connect()) : null;
    return sendBatches(packed, async (batch) => socket ? this.orReleased(this.sendDatagram(socket, batch)) : false);
  };

  /**
   * `work`'s value, or false once shutdown stops waiting. (Not a race against one long-lived
   * promise: each such race would stay attached to it, a leak of every datagram ever sent.)
   */
  private orReleased<T>(work: Promise<T>): Promise<T | false> {
    if (this.sendsReleased) return Promise.resolve(false);
    return new Promise((resolve) => {
      const giveUp = (): void => resolve(false);
      const settle = (value: T | false): void => {
        this.giveUps.delete(giveUp);
        resolve(value);
      };
      this.giveUps.add(giveUp);
      void work.then(settle, () => settle(false));
    });
  }

  private sendDatagram(socket: dgram.Socket, batch: EncodedBatch): Promise<boolean> {
    return new Promise((resolve) => {
      try {
        socket.send(batch.parts, (error) => {
          if (error) this.reportSendError(error as NodeJS.ErrnoException);
          resolve(!error);
        });
      } catch (error) {
        this.faults.report('jaeger-udp send', error);
        resolve(false);
      }
    });
  }

  private reportNoAgent(): void {
    const { host, port } = this.options;
    this.faults.note('jaeger-udp no agent', `no Jaeger agent is listening on ${host}:${port} (UDP), the default destination: ` +
      'spans are being dropped. Start Jaeger (see "Run Jaeger locally" in the README), point JAEGER_AGENT_HOST/PORT at ' +
      'yours, or choose an exporter with OTEL_TRACES_EXPORTER (otlp, console, none).');
  }

  private reportSendError(error: NodeJS.ErrnoException): void {
    const { host, port } = this.options;
    if (error.code === 'ECONNREFUSED' && this.options.defaultAgent === true) return this.reportNoAgent();
    this.faults.note(`jaeger-udp send ${error.code ?? ''}`, `jaeger-udp: send to ${host}:${port} failed: ${error.code ?? error.message}`);
  }

  /**
   * A socket connected before this returns, for an address given as an IP (with a lookup that
   * answers at once, dgram binds and connects synchronously); null for a host name, which needs DNS.
   */
  private connectNow(): dgram.Socket | null {
    const { host, port } = this.options;
    const family = isIP(host);
    if (family === 0) return null;
    try {
      const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup });
      socket.on('error', (error) => this.faults.report('jaeger-udp socket', error));
      socket.unref();
      socket.connect(port, host);
      return socket;
    } catch (error) {
      this.faults.report('jaeger-udp connect', error);
      return null;
    }
  }

  private connect(): Promise<dgram.Socket | null> {
    if (this.socket === null) {
      const attempt = this.openSocket();
      this.socket = attempt;
      // A failed connect is retried by the next export.
      void attempt.then((socket) => {
        if (socket === null && this.socket === attempt) this.socket = null;
      });
    }
    return this.socket;
  }

  private openSocket(): Promise<dgram.Socket | null> {
    return new Promise((resolve) => {
      const { host, port } = this.options;
      try {
        const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
        // On a connected socket the kernel's ICMP "port unreachable" for a datagram comes back as
        // an ECONNREFUSED error event moments after the send: detected on the first real batch,
        // with no probe datagram and no delay at startup.
        socket.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && this.options.defaultAgent === true) this.reportNoAgent();
          else this.faults.report('jaeger-udp socket', error);
        });
        socket.unref();
        socket.connect(port, host, (error?: Error) => {
          if (error) this.faults.report('jaeger-udp connect', error);
          if (error || this.sendsReleased) {
            closeQuietly(socket);
            resolve(null);
          } else {
            this.connected = socket;
            resolve(socket);
          }
        });
      } catch (error) {
        this.faults.report('jaeger-udp connect', error);
        resolve(null);
      }
    });
  }
}

/** dns.lookup's signature, for an address that is already an IP: answers synchronously. */
function literalLookup(address: string, _options: unknown, callback: (error: null, address: string, family: number) => void): void {
  callback(null, address, isIP(address));
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}
