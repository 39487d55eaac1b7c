#!/usr/bin/env node
// The `logsift` command. It lives outside dist/ so that npm links it on install, before the first build.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('logsift: the CLI is not built yet; run `npm run build` in the repository first.');
  process.exit(1);
}
await import(main.href);
