#!/usr/bin/env node
import { run } from './program.js';

// A reader that stops early (`logsift entries ... | head`) closes the pipe: stop as other tools do,
// quietly, instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

// exitCode rather than exit(): output still queued for a pipe is written before the process ends.
process.exitCode = await run(process.argv.slice(2));
