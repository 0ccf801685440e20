//! Tiny component-test helpers on Preact's `act`: render, type, click, wait.
import { render as preactRender, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { mockIPC } from '@tauri-apps/api/mocks';
import { createFakeBackend, type FakeBackend, type FakeOptions } from './fake';

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

export type { FakeBackend };

/** A fresh in-memory backend (src/test/fake) wired as Tauri's IPC. */
export function fakeBackend(options: FakeOptions = {}): FakeBackend {
  const backend = createFakeBackend(options);
  mockIPC((cmd, args) => backend.handle(cmd, args as Record<string, unknown>), { shouldMockEvents: true });
  return backend;
}
