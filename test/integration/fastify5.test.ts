// Fastify 5 through its own `tracing:fastify.request.handler` channel.
import { createRequire } from 'node:module';
import { createFastifyIntegration } from '../../src/plugins/fastify.js';
import { fastifySuite } from './fastify-suite.js';
import type { FastifyFactory } from './fastify-suite.js';

const require = createRequire(import.meta.url);
fastifySuite('Fastify 5', () => require('fastify') as FastifyFactory, createFastifyIntegration(['fastify']));
