import type { Integration } from './integration.js';
import { isFetchRequest } from './undici-headers.js';
import { undiciRequestsIntegration } from './undici-requests.js';

/** `fetch`: Node's global one and the `undici` package's (component `fetch`). */
export const fetchIntegration: Integration = undiciRequestsIntegration('fetch', 'fetch', isFetchRequest);
