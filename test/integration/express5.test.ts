// Express 5 through its router's own `express.router.request` TracingChannel.
import { createRequire } from 'node:module';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { expressSuite } from './express-suite.js';
import type { ExpressModule } from './express-suite.js';

const require = createRequire(import.meta.url);
expressSuite('Express 5', () => require('express') as ExpressModule, createExpressIntegration(['express']));
