// Every library this package can trace, in the order `installAllPatches()` enables them.
// Adding a library: one import and one entry here.
import type { Integration } from './integration.js';
import { httpClientIntegration } from './http-client.js';
import { fetchIntegration } from './fetch.js';
import { undiciIntegration } from './undici.js';
import { httpServerIntegration } from './http-server.js';
import { expressIntegration } from './express.js';
import { koaIntegration } from './koa.js';
import { fastifyIntegration } from './fastify.js';
import { mysql2Integration } from './mysql2.js';
import { mysqlIntegration } from './mysql.js';
import { mariadbIntegration } from './mariadb.js';
import { awsSdkIntegration } from './aws-sdk.js';
import { sqsConsumerIntegration } from './sqs-consumer.js';

export const integrations: readonly Integration[] = [
  httpClientIntegration,
  fetchIntegration,
  undiciIntegration,
  httpServerIntegration,
  expressIntegration,
  koaIntegration,
  fastifyIntegration,
  mysql2Integration,
  mysqlIntegration,
  mariadbIntegration,
  awsSdkIntegration,
  sqsConsumerIntegration,
];
