import type { Tracer } from '../tracer/tracer.js';
import type { UrlMatcher } from '../semantics/url-matchers.js';

export type { UrlMatcher };

/** Options of `installAllPatches`, one typed object for every integration. */
export interface InstrumentationOptions {
  /** Tracer to report to; default: the global tracer at the time of each event. */
  tracer?: Tracer;
  /** Only these integrations (names as listed by `clientHooks.available()`). */
  include?: string[];
  /** Every integration but these. */
  exclude?: string[];
  /** Outgoing requests not traced: a string matches a URL prefix (or exact path), a RegExp the full URL. */
  ignoreUrls?: UrlMatcher[];
  /** Incoming requests not traced: a string matches the path exactly, a RegExp the path with query. */
  ignorePaths?: UrlMatcher[];
  /** Mark client spans with 4xx responses as errors (default false; 5xx always are). */
  errorOn4xx?: boolean;
  /** Request headers naming the calling service, recorded as `peer.service` on server spans. */
  callerNameHeaders?: string[];
  /**
   * Record the bound values of SQL statements as `db.values` (default false: `db.statement` is
   * sanitised and values are never recorded). Turn on only where values hold no personal data.
   */
  recordSqlValues?: boolean;
  /** Record S3 object keys on AWS SDK spans (`aws.s3.key`; default false: keys often hold user data). */
  recordS3Keys?: boolean;
}

/** What every integration gets: options with defaults filled in, and the tracer to use now. */
export interface IntegrationContext {
  readonly options: Readonly<Required<Omit<InstrumentationOptions, 'tracer' | 'include' | 'exclude'>>>;
  /** The tracer to use for an event, or null when none is initialised (then do nothing). */
  tracer(): Tracer | null;
  /** Logs a fault once and switches the named integration off; the app goes on. */
  fault(integration: string, error: unknown): void;
}

/** One traced library: a plugin (spans) plus, only where the library publishes nothing, a hook. */
export interface Integration {
  readonly name: string;
  /** Subscribes and patches; returns false (touching nothing) when the library is not installed. */
  enable(context: IntegrationContext): boolean;
  /** Restores every original function and unsubscribes every channel. */
  disable(): void;
}
