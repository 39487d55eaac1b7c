#!/usr/bin/env node
import { run } from './program.js';

// exitCode rather than exit(): output still queued for a pipe is written before the process ends.
process.exitCode = await run(process.argv.slice(2));
