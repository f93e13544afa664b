// Koa 2 (the `koa2` alias of koa@2), required after the integration is enabled: patched as it loads.
import { createRequire } from 'node:module';
import { createKoaIntegration } from '../../src/plugins/koa.js';
import { koaSuite } from './koa-suite.js';
import type { KoaClass } from './koa-suite.js';

const require = createRequire(import.meta.url);
koaSuite('Koa 2', () => require('koa2') as KoaClass, createKoaIntegration(['koa2']));
