// Process boundaries are import rules (DESIGN.md, Shape): the renderer cannot reach Node or
// the main process, the domain stays pure, and dependencies point one way: electron/ -> sync/ ->
// electron/domain/ (the domain imports neither).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'url', 'util', 'stream', 'zlib', 'worker_threads', 'events', 'buffer', 'process', 'dns', 'cluster', 'module', 'readline', 'v8', 'vm'];

export const boundaryRules = {
  sync: {
    patterns: [
      { regex: '^electron(/.*)?$', message: 'sync/ runs as plain Node: take what you need from Electron as a parameter.' },
      {
        regex: '(^|/)electron/(?!domain/)',
        message: 'sync/ depends only on the pure domain model (electron/domain/) and on ports it declares itself (sync/engine/types.ts): electron/ wires the store and services into sync/, never the other way.',
      },
    ],
  },
  domain: {
    patterns: [
      { group: nodeBuiltins, message: 'electron/domain/ is pure TypeScript: no Node built-ins.' },
      { regex: '^electron(/.*)?$', message: 'electron/domain/ is pure TypeScript: no Electron.' },
      { regex: '^better-sqlite3(/.*)?$', message: 'electron/domain/ is pure TypeScript: storage lives in electron/store/.' },
      {
        regex: '(^|/)(sync|store|services|handlers|backend|relay|hub|print|cli|protocol|security|updates)/|(^|/)\\.\\./(api|ipc|main|preload)(\\.ts)?$',
        message: 'electron/domain/ is the bottom layer: it imports nothing from sync/ or from the rest of electron/, which both depend on it.',
      },
    ],
  },
  renderer: {
    patterns: [
      { group: nodeBuiltins, message: 'The renderer has no Node access: ask the main process through window.dosedesk.' },
      { regex: '^(electron|better-sqlite3)(/.*)?$', message: 'The renderer talks only to window.dosedesk.' },
      {
        regex: '(^|/)electron/(?!api(\\.ts)?$|api/|domain/)',
        message: 'The renderer may import only the API contract (electron/api) and pure domain code from electron/.',
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'dist-renderer/**', 'out/**', 'coverage/**', 'assets/**', 'test-results/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', boundaryRules.renderer],
    },
  },
  {
    // electron-builder loads its configuration and hooks with require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['sync/**/*.ts'], rules: { 'no-restricted-imports': ['error', boundaryRules.sync] } },
  { files: ['electron/domain/**/*.ts'], rules: { 'no-restricted-imports': ['error', boundaryRules.domain] } },
);
