import type { Integration } from './integration.js';
import { isFetchRequest } from './undici-headers.js';
import { undiciRequestsIntegration } from './undici-requests.js';

/** The `undici` package's dispatcher API: `request`, `stream`, `Client`, `Pool`, `Agent` (component `undici`). */
export const undiciIntegration: Integration = undiciRequestsIntegration('undici', 'undici', (request) => !isFetchRequest(request));
