import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * One build for every stage: the API, WebSocket and sign-in addresses are read from
 * `/config.json` at start (written by `npm start` locally, by the CDK stack on AWS).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // One chunk: React, the router, the query cache, luxon and the OIDC client are most of it
  // (about 150 kB gzip in all), and every screen needs them.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
});
