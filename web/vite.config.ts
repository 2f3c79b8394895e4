import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * One build for every stage: the API, WebSocket and sign-in addresses are read from
 * `/config.json` at start (written by `npm start` locally, by the CDK stack on AWS).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
