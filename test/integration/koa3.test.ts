// Koa 3, imported (ESM) before the integration is enabled: patched as an already-loaded module.
import { createKoaIntegration } from '../../src/plugins/koa.js';
import { koaSuite } from './koa-suite.js';
import type { KoaClass } from './koa-suite.js';

const specifier: string = 'koa';
const { default: Koa } = (await import(specifier)) as { default: KoaClass };

koaSuite('Koa 3', () => Koa, createKoaIntegration(['koa']));
