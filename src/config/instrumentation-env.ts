import type { Logger } from '../tracer/types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The `installAllPatches` options the `register` preload reads from the environment. */
export interface InstrumentationEnv {
  ignorePaths?: (string | RegExp)[];
  ignoreUrls?: (string | RegExp)[];
  callerNameHeaders?: string[];
  errorOn4xx?: boolean;
}

/**
 * Comma-separated lists; an item starting with `^` is a RegExp (paths start with `/` and URLs with
 * a scheme, so nothing else is mistaken for one), anything else a string matched as
 * `installAllPatches` documents. A bad item or value is reported once per variable and skipped.
 */
export function instrumentationFromEnv(env: Env, logger: Logger): InstrumentationEnv {
  const out: InstrumentationEnv = {};
  const warn = (name: string, detail: string): void => {
    logger.warn?.(`ignoring part of ${name}: ${detail}`);
  };
  const matchers = (name: string): (string | RegExp)[] | undefined => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') return undefined;
    const list: (string | RegExp)[] = [];
    const bad: string[] = [];
    for (const raw of value.split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      if (!item.startsWith('^')) {
        list.push(item);
        continue;
      }
      try {
        list.push(new RegExp(item));
      } catch {
        bad.push(item);
      }
    }
    if (bad.length > 0) warn(name, `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a valid RegExp' : 'are not valid RegExps'}`);
    return list;
  };
  const ignorePaths = matchers('OTAI_IGNORE_PATHS');
  if (ignorePaths !== undefined) out.ignorePaths = ignorePaths;
  const ignoreUrls = matchers('OTAI_IGNORE_URLS');
  if (ignoreUrls !== undefined) out.ignoreUrls = ignoreUrls;
  const headers = env['OTAI_CALLER_NAME_HEADERS']?.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (headers !== undefined && headers.length > 0) out.callerNameHeaders = headers;
  const errorOn4xx = env['OTAI_ERROR_ON_4XX']?.trim();
  if (errorOn4xx !== undefined && errorOn4xx !== '') {
    if (/^(true|1)$/i.test(errorOn4xx)) out.errorOn4xx = true;
    else if (/^(false|0)$/i.test(errorOn4xx)) out.errorOn4xx = false;
    else warn('OTAI_ERROR_ON_4XX', `expected true or false, got ${JSON.stringify(errorOn4xx)}`);
  }
  return out;
}
