//! Tiny component-test helpers on Preact's `act`: render, type, click, wait.
import { render as preactRender, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { mockIPC } from '@tauri-apps/api/mocks';
import '../../e2e/fake-backend.js';

const mounted: HTMLElement[] = [];

export function render(vnode: ComponentChild): HTMLElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  mounted.push(container);
  act(() => {
    preactRender(vnode, container);
  });
  return container;
}

export function cleanup(): void {
  for (const c of mounted.splice(0)) {
    preactRender(null, c);
    c.remove();
  }
  const printRoot = document.getElementById('print-root');
  if (printRoot) printRoot.innerHTML = '';
}

/** Lets pending promises and effects settle. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

/** Waits until `fn` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(fn: () => T | null | undefined | false, timeoutMs = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error('waitFor: timed out');
    await flush(1);
  }
}

export function type(el: Element | null, value: string): void {
  if (!el) throw new Error('type: no element');
  act(() => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export function choose(el: Element | null, value: string): void {
  if (!el) throw new Error('choose: no element');
  act(() => {
    (el as HTMLSelectElement).value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

export function click(el: Element | null): void {
  if (!el) throw new Error('click: no element');
  act(() => {
    (el as HTMLElement).click();
  });
}

/** The button whose text contains `text`. */
export function button(root: ParentNode, text: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.includes(text));
  if (!b) throw new Error(`no button "${text}"`);
  return b;
}

/** The form control labelled `label` (exact label text). */
export function field(root: ParentNode, label: string): HTMLInputElement {
  const l = [...root.querySelectorAll('label')].find((x) => x.textContent?.trim() === label);
  if (!l) throw new Error(`no label "${label}"`);
  const id = l.getAttribute('for');
  const el = id ? root.querySelector(`[id="${id}"]`) : l.querySelector('input');
  if (!el) throw new Error(`no control for "${label}"`);
  return el as HTMLInputElement;
}

export interface FakeBackend {
  handle: (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
  calls: { cmd: string; args: Record<string, unknown> | undefined }[];
  addRemovableBackup: (profile: string) => string;
  setHealth: (h: unknown[]) => void;
}

/** A fresh in-memory backend (e2e/fake-backend.js) wired as Tauri's IPC. */
export function fakeBackend(options: Record<string, unknown> = {}): FakeBackend {
  const g = globalThis as unknown as { createFakeBackend?: (o: object) => FakeBackend; window?: { createFakeBackend?: (o: object) => FakeBackend } };
  const create = g.createFakeBackend ?? g.window?.createFakeBackend;
  if (!create) throw new Error('fake backend not loaded');
  const backend = create(options);
  mockIPC((cmd, args) => backend.handle(cmd, args as Record<string, unknown>), { shouldMockEvents: true });
  return backend;
}
