//! Vitest setup: French by default for deterministic output, and a clean IPC mock and
//! DOM after each test.
import { afterEach, beforeEach } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { setLang } from '../lib/i18n';
import { cleanup } from './render';

beforeEach(() => {
  setLang('fr', false);
  if (!document.getElementById('print-root')) {
    const printRoot = document.createElement('div');
    printRoot.id = 'print-root';
    document.body.appendChild(printRoot);
  }
});

afterEach(() => {
  cleanup();
  clearMocks();
});
