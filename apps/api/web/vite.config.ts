import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The dashboard: built into apps/api/dist/web, served by the API at / (see src/plugins/dashboard.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // No public/ folder: everything the page uses is imported and hashed under /assets/.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One small script and one stylesheet; no inline module-preload helper (the CSP allows no inline script).
    modulePreload: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for work on the page, with the API on :3000 behind it.
    proxy: Object.fromEntries(
      ['/api', '/auth', '/admin', '/metrics', '/docs'].map((p) => [p, 'http://127.0.0.1:3000']),
    ),
  },
});
