// Express 4 (the `express4` alias of express@4) through our hook, patched as it is required.
import { createRequire } from 'node:module';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { expressSuite } from './express-suite.js';
import type { ExpressModule } from './express-suite.js';

const require = createRequire(import.meta.url);
expressSuite('Express 4', () => require('express4') as ExpressModule, createExpressIntegration(['express4']));
