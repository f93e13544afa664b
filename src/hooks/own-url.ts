// The file: URL of this package's own code, needed to resolve our dependencies for Node's module
// hooks. The same source is compiled to ESM and CommonJS, and `import.meta` does not exist in
// CommonJS, so: `__filename` where CommonJS defines it, else the file named by our own stack frame.
import { pathToFileURL } from 'node:url';

function fileOfThisFrame(): string | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    const callSites = holder.stack as NodeJS.CallSite[] | undefined;
    return callSites?.[0]?.getFileName() ?? undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** A file: URL inside this package (this very file), or undefined if it cannot be known. */
export function ownUrl(): string | undefined {
  const file = typeof __filename === 'string' ? __filename : fileOfThisFrame();
  if (file === undefined) return undefined;
  return file.startsWith('file:') ? file : pathToFileURL(file).href;
}
