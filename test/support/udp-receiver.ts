import dgram from 'node:dgram';

export interface UdpReceiver {
  readonly host: string;
  readonly port: number;
  /** Every datagram received so far, in arrival order. */
  readonly datagrams: Buffer[];
  /** Resolves with the datagrams once `count` have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Buffer[]>;
  /** Resolves once `done(datagrams)` is true (checked on each arrival); rejects after `timeoutMs`. */
  waitUntil(done: (datagrams: readonly Buffer[]) => boolean, timeoutMs?: number): Promise<Buffer[]>;
  /** Forgets the datagrams received so far. */
  clear(): void;
  close(): Promise<void>;
}

export interface UdpReceiverOptions {
  type?: 'udp4' | 'udp6';
  /** Asked of the kernel (which may cap it at net.core.rmem_max): bursts of 65 KB datagrams need room. */
  recvBufferSize?: number;
}

/** A real UDP socket on the loopback address, port 0, collecting datagrams (e.g. a stand-in jaeger-agent). */
export async function startUdpReceiver(options: UdpReceiverOptions = {}): Promise<UdpReceiver> {
  const type = options.type ?? 'udp4';
  const host = type === 'udp6' ? '::1' : '127.0.0.1';
  const socket = dgram.createSocket({ type, recvBufferSize: options.recvBufferSize ?? 8 * 1024 * 1024 });
  const datagrams: Buffer[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (message) => {
    datagrams.push(message);
    for (const check of waiters) check();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const waitUntil = (done: (received: readonly Buffer[]) => boolean, timeoutMs = 5000): Promise<Buffer[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done(datagrams)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(datagrams);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`UDP receiver: condition not met within ${timeoutMs} ms (${datagrams.length} datagrams received)`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    host,
    port: socket.address().port,
    datagrams,
    waitUntil,
    waitFor: (count, timeoutMs) => waitUntil((received) => received.length >= count, timeoutMs),
    clear: () => {
      datagrams.length = 0;
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
