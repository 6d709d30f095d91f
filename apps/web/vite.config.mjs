// Builds the consoles into dist/web, which the server serves at `/` (apps/server/src/web).
// Everything is bundled: the pages make no request to any other origin at run time.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@vigil/contracts': here('../../libs/contracts/src/index.ts') } },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // No source maps in the served bundle: they would publish the console's source (issue #13).
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npx vite --config apps/web/vite.config.mjs` during UI work, against `npm start` on :3000.
    proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } },
  },
});
