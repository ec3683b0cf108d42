import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer bundle, loaded by Electron from app://dosedesk/ (relative base) and by the e2e
// tests from a local preview server. Output goes to dist-renderer/ at the repository root.

// URL paths, not node:url: this folder's lint rules forbid Node built-ins (POSIX paths suffice
// for the build machines; Windows builds go through the same npm script from the repo root).
const fromHere = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');
const root = fromHere('.');
const outDir = fromHere('../dist-renderer');

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
