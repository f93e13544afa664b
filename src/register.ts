// Preload entry: `node --import opentracing-async-instrumentation/register app.js`.
import { initTracerFromEnv } from './config/init.js';

initTracerFromEnv();
