/**
 * A growable output buffer for the Thrift encoders. Encoders copy `buf` and `off` into local
 * variables, call `reserve` before each bounded write and store `off` back when done: the hot
 * loops never touch object state.
 */
export class ThriftSink {
  buf: Buffer;
  off = 0;

  constructor(initialSize: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialSize));
  }

  /** Makes room for `extra` bytes at `off`, keeping bytes before `off`; returns the buffer to use. */
  reserve(off: number, extra: number): Buffer {
    const buf = this.buf;
    if (off + extra <= buf.length) return buf;
    const grown = Buffer.allocUnsafe(Math.max(buf.length * 2, off + extra));
    buf.copy(grown, 0, 0, off);
    this.buf = grown;
    return grown;
  }
}
