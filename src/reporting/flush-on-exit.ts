// Flushing at the end of a preloaded app without changing how it ends. `beforeExit` fires when
// the loop runs dry (not on `process.exit()`, whose 'exit' event cannot wait for I/O). A SIGTERM
// listener would keep alive a process that the signal used to kill: when the app has no SIGTERM
// listener of its own, ours flushes (for at most `maxWaitMs`) and then re-raises the signal, so the
// process still dies of SIGTERM; when the app has one, the app decides and ours only flushes.
import type { Tracer } from '../tracer/tracer.js';

export interface ExitFlush {
  /** Removes the listeners. */
  remove(): void;
}

export function flushOnExit(tracer: Tracer, maxWaitMs = 2000): ExitFlush {
  let flushedAt = -1;
  const onBeforeExit = (): void => {
    // Only when something finished since the last flush: a flush that sends a datagram keeps the
    // loop alive, so 'beforeExit' fires again afterwards and must then find nothing to do.
    const finished = tracer.stats().spansFinished;
    if (finished === flushedAt) return;
    flushedAt = finished;
    void tracer.flush();
  };
  const onSigterm = (): void => {
    const appListens = process.listenerCount('SIGTERM') > 1;
    if (appListens) {
      void tracer.flush();
      return;
    }
    process.removeListener('SIGTERM', onSigterm);
    let raised = false;
    const reraise = (): void => {
      if (raised) return;
      raised = true;
      clearTimeout(timer);
      // With no listener left, the default action applies: the process ends by SIGTERM.
      if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
    };
    const timer = setTimeout(reraise, maxWaitMs);
    void tracer.flush().then(reraise);
  };
  process.on('beforeExit', onBeforeExit);
  process.on('SIGTERM', onSigterm);
  return {
    remove(): void {
      process.removeListener('beforeExit', onBeforeExit);
      process.removeListener('SIGTERM', onSigterm);
    },
  };
}
