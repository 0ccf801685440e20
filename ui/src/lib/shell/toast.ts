//! A tiny toast store: views call `toast(text)`; the `<Toasts>` component shows them.
export interface ToastItem {
  id: number;
  text: string;
  kind: 'ok' | 'error';
}

let items: ToastItem[] = [];
let next = 1;
const listeners = new Set<(items: ToastItem[]) => void>();

function emit() {
  for (const l of listeners) l(items);
}

export function toast(text: string, kind: 'ok' | 'error' = 'ok', ms = 4000): void {
  const id = next++;
  items = [...items, { id, text, kind }].slice(-3);
  emit();
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  items = items.filter((i) => i.id !== id);
  emit();
}

export function clearToasts(): void {
  items = [];
  emit();
}

export function subscribeToasts(l: (items: ToastItem[]) => void): () => void {
  listeners.add(l);
  l(items);
  return () => {
    listeners.delete(l);
  };
}
