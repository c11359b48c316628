import { defineConfig } from 'vite';

// `vite dev` forwards API and WebSocket calls to a running harness (gsd-harness start).
const harness = process.env.GSD_HARNESS_URL ?? 'http://127.0.0.1:3333';

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React and xterm make one ~600 kB chunk; the page is served locally, so splitting buys nothing.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      '/api': { target: harness, changeOrigin: true },
      '/ws': { target: harness.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
    },
  },
});
