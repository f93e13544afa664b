// Fastify 4 (the `fastify4` alias of fastify@4): hooks added through `fastify.initialization`.
import { createRequire } from 'node:module';
import { createFastifyIntegration } from '../../src/plugins/fastify.js';
import { fastifySuite } from './fastify-suite.js';
import type { FastifyFactory } from './fastify-suite.js';

const require = createRequire(import.meta.url);
fastifySuite('Fastify 4', () => require('fastify4') as FastifyFactory, createFastifyIntegration(['fastify4']));
