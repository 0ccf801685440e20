//! Modal dialog and confirmation dialog. Escape and the Cancel button close them; focus
//! moves into the dialog on open and returns to the previous element on close.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}

export function Modal({ title, onClose, children, wide }: ModalProps) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]):not(.modal__close)',
    );
    (first ?? ref.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
      if (e.key === 'Tab' && ref.current) {
        const focusable = [...ref.current.querySelectorAll<HTMLElement>(
          'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]',
        )];
        if (focusable.length === 0) return;
        const firstEl = focusable[0]!;
        const lastEl = focusable[focusable.length - 1]!;
        if (e.shiftKey && document.activeElement === firstEl) {
          e.preventDefault();
          lastEl.focus();
        } else if (!e.shiftKey && document.activeElement === lastEl) {
          e.preventDefault();
          firstEl.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div class="modal-backdrop">
      <div
        class={`modal ${wide ? 'modal--wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        ref={ref}
        tabIndex={-1}
      >
        <header class="modal__header">
          <h2 id={`${id}-title`}>{title}</h2>
          <button type="button" class="btn btn--ghost modal__close" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </header>
        <div class="modal__body">{children}</div>
      </div>
    </div>
  );
}

interface ConfirmProps {
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  /** The label of the button that closes the dialog without acting ("Cancel" by default). */
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** When set, the user must type this text before confirming. */
  requireText?: string;
  typed?: string;
  onTyped?: (v: string) => void;
  error?: string | null;
}

export function ConfirmDialog(p: ConfirmProps) {
  const id = useId();
  const blocked = p.requireText !== undefined && (p.typed ?? '') !== p.requireText;
  return (
    <Modal title={p.title} onClose={p.onCancel}>
      <div class="confirm__message">{p.message}</div>
      {p.requireText !== undefined && (
        <div class="field">
          <label for={id}>{t('common.typeToConfirm', { text: p.requireText })}</label>
          <input id={id} type="text" value={p.typed ?? ''} autoComplete="off"
            onInput={(e) => p.onTyped?.((e.currentTarget as HTMLInputElement).value)} />
        </div>
      )}
      {p.error && <p class="field__error" role="alert">{p.error}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={p.onCancel}>{p.cancelLabel ?? t('common.cancel')}</button>
        <button
          type="button"
          class={`btn ${p.danger ? 'btn--danger' : 'btn--primary'}`}
          disabled={blocked || p.busy}
          onClick={p.onConfirm}
        >
          {p.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
