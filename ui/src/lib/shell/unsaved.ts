//! Unsaved input: a form holding typed, unsaved input says so with `useUnsavedInput`,
//! and the shell asks before any move that would throw it away (another screen,
//! another Settings tab, switching profile). One registry for every form: the forms do
//! not know about navigation, the navigation does not know about the forms. Locking
//! (the button, the shortcut, auto-lock, the computer going to sleep) never asks: it
//! must happen at once.
import { useEffect, useRef } from 'preact/hooks';

/** One token per mounted form that holds unsaved input. */
const holders = new Set<object>();

/** Registers the calling form as holding unsaved input while `dirty` is true (and it is mounted). */
export function useUnsavedInput(dirty: boolean): void {
  const token = useRef({});
  useEffect(() => {
    if (!dirty) return undefined;
    const mine = token.current;
    holders.add(mine);
    return () => {
      holders.delete(mine);
    };
  }, [dirty]);
}

/**
 * True when `values` differ from what they were on the form's first render: for a form
 * opened on an item (or on defaults) and closed once saved.
 */
export function useEdited(values: unknown): boolean {
  const first = useRef<string | null>(null);
  const now = JSON.stringify(values);
  if (first.current === null) first.current = now;
  return now !== first.current;
}

/** Whether some mounted form holds typed, unsaved input. */
export function hasUnsavedInput(): boolean {
  return holders.size > 0;
}

/** The user chose to leave and discard: the forms are about to go. */
export function discardUnsavedInput(): void {
  holders.clear();
}
