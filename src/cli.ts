#!/usr/bin/env node
// `opentracing-async-instrumentation view|demo`: arrives with the viewer.
process.stderr.write('opentracing-async-instrumentation: the viewer is not available yet\n');
process.exitCode = 1;
