/// <reference types="vitest/config" />
// Vite + Vitest configuration for the Patrimoine web UI.
// The JSX transform is configured directly (Preact's automatic runtime), so no
// Babel-based plugin is needed; `base: './'` makes `dist/` loadable by Tauri.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    reporters: ['default', './src/test/summaryReporter.ts'],
  },
});
