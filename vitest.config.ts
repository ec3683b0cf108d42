import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tests must never load the real `electron` package: with Electron >= 42 an unmocked
// import starts a binary download. Every import of it resolves to the stub instead.
const electronStub = fileURLToPath(new URL('./tests/mocks/electron.ts', import.meta.url));

export default defineConfig({
  test: {
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A dependency that require()s electron bypasses the alias below; with this set, Electron's
    // npm package returns a path instead of downloading a binary in the middle of a test run.
    env: { ELECTRON_OVERRIDE_DIST_PATH: fileURLToPath(new URL('./.tmp/no-electron', import.meta.url)) },
    // .ci/run derives its closing `N passed, N failed` line from this report.
    reporters: process.env.VITEST_JSON_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON_REPORT ? { json: process.env.VITEST_JSON_REPORT } : undefined,
    projects: [
      {
        // The store opens files through better-sqlite3-multiple-ciphers (electron/store/driver.ts).
        // A test's own second connection must use the same SQLite library: two copies of SQLite
        // in one process do not see each other's POSIX locks, so a "busy" test would pass through.
        resolve: { alias: { electron: electronStub, 'better-sqlite3': 'better-sqlite3-multiple-ciphers' } },
        test: {
          name: 'node',
          globals: true,
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/renderer/**', 'tests/e2e/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        plugins: [react()],
        resolve: { alias: { electron: electronStub } },
        test: {
          name: 'renderer',
          globals: true,
          environment: 'jsdom',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/renderer/setup.ts'],
          // Inline projects do not inherit the root's timeouts: without these, vitest's 5 s
          // default applies. A form test takes 1–2 s on an idle machine, nearly all of it React
          // rendering in jsdom; on two cores shared with other runs the same work takes several
          // times as long. A hung test (a wait that never ends) still fails, after 30 s.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias: { electron: electronStub } },
        test: {
          name: 'e2e',
          globals: true,
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One browser scenario file at a time: two Chromiums on two cores fight for CPU.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
