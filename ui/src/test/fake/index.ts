//! The fake backend and how it is installed as Tauri's IPC in a page (the Chromium
//! flows and `npm run dev`); component tests wire it with `mockIPC` instead
//! (src/test/render.tsx). Never part of the production bundle.
import { createFakeBackend, type FakeBackend, type FakeOptions } from './backend';

export { createFakeBackend };
export type { FakeBackend, FakeCall, FakeOptions, Handlers } from './backend';

type Callback = (data: unknown) => unknown;

/** Installs a new fake as `window.__TAURI_INTERNALS__`, and as `window.__FAKE_BACKEND__` for tests. */
export function installFakeBackend(options: FakeOptions = {}): FakeBackend {
  const backend = createFakeBackend(options);
  const callbacks = new Map<number, Callback>();
  const root = globalThis as Record<string, unknown>;
  root.__TAURI_INTERNALS__ = {
    invoke: (cmd: string, args?: Record<string, unknown>) => backend.handle(cmd, args),
    transformCallback: (cb?: Callback, once = false) => {
      const id = Math.floor(Math.random() * 2 ** 31);
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return cb?.(data);
      });
      return id;
    },
    unregisterCallback: (id: number) => callbacks.delete(id),
    runCallback: (id: number, data: unknown) => callbacks.get(id)?.(data),
    callbacks,
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  };
  root.__FAKE_BACKEND__ = backend;
  return backend;
}
