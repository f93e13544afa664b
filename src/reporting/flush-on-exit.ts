// Flushing at the end of a preloaded app without changing how it ends.
// - The loop runs dry: `beforeExit`, an ordinary asynchronous flush.
// - SIGTERM or SIGINT: a listener would keep alive a process that the signal used to kill. When
//   the app has no listener of its own for that signal, ours flushes (for at most `maxWaitMs`) and
//   then re-raises it, so the process still dies of the signal; when the app has one, the app
//   decides and ours only flushes.
// - An uncaught exception, or `process.exit()`: no later turn of the event loop will come, so what
//   is queued is handed over synchronously (`uncaughtExceptionMonitor` runs before Node prints
//   the error; 'exit' runs last). Neither listener changes what Node prints or the exit code.
import type { Tracer } from '../tracer/tracer.js';

export interface ExitFlush {
  /** Removes the listeners. */
  remove(): void;
}

type ExitSignal = 'SIGTERM' | 'SIGINT';

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
  const onSignal = (signal: ExitSignal, listener: () => void): void => {
    const appListens = process.listenerCount(signal) > 1;
    if (appListens) {
      void tracer.flush();
      return;
    }
    process.removeListener(signal, listener);
    let raised = false;
    const reraise = (): void => {
      if (raised) return;
      raised = true;
      clearTimeout(timer);
      // With no listener left, the default action applies: the process ends by the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    const timer = setTimeout(reraise, maxWaitMs);
    void tracer.flush().then(reraise);
  };
  const onSigterm = (): void => onSignal('SIGTERM', onSigterm);
  const onSigint = (): void => onSignal('SIGINT', onSigint);
  // Synchronous even when the app has an 'uncaughtException' listener: it may end the process
  // itself (process.exit, or a throw: exit code 7), and no later turn would come for the spans.
  const onUncaught = (): void => tracer._flushSync();
  const onExit = (): void => tracer._flushSync();
  process.on('beforeExit', onBeforeExit);
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
  process.on('uncaughtExceptionMonitor', onUncaught);
  process.on('exit', onExit);
  return {
    remove(): void {
      process.removeListener('beforeExit', onBeforeExit);
      process.removeListener('SIGTERM', onSigterm);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('uncaughtExceptionMonitor', onUncaught);
      process.removeListener('exit', onExit);
    },
  };
}
