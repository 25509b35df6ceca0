import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from './error-notice.js';

/** Props of `ConfirmDialog`. */
export interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  /** Whether a reason is asked for: `required` refuses to confirm without one. */
  reason: 'required' | 'optional' | 'none';
  /** A red confirm button, for kills and other changes users feel at once. */
  danger?: boolean;
  /** What will happen, and any extra fields. */
  children?: ComponentChildren;
  /** Does the change; a rejection is shown in the dialog, which stays open. */
  onConfirm: (reason: string | undefined) => Promise<void>;
  onClose: () => void;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation: opened as a native modal dialog (the page behind is inert), Tab and Shift+Tab stay
 * inside it, Escape cancels, and focus goes back to where it was when it closes.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, confirmLabel, reason, danger, children, onConfirm, onClose } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [text, setText] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (dialog && !dialog.open) dialog.showModal();
    (reasonRef.current ?? cancelRef.current)?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const items = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (reason === 'required' && trimmed === '') {
      setReasonError('A reason is required: it is recorded in the audit log.');
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await onConfirm(trimmed === '' ? undefined : trimmed);
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      class="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        // Escape: close through the parent, which unmounts the dialog.
        event.preventDefault();
        if (!busy) onClose();
      }}
      onKeyDown={onKeyDown}
      // Closed by the browser itself (a second Escape while busy): keep the parent's state in step.
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {reason !== 'none' && (
          <div class="field">
            <label for={`${id}-reason`}>Reason{reason === 'required' ? ' (required)' : ' (optional)'}</label>
            <textarea
              id={`${id}-reason`}
              ref={reasonRef}
              rows={3}
              maxLength={2000}
              value={text}
              required={reason === 'required'}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${id}-reason-error` : undefined}
              onInput={(event) => {
                setText(event.currentTarget.value);
                setReasonError(undefined);
              }}
            />
            {reasonError && (
              <p id={`${id}-reason-error`} class="field-error">
                {reasonError}
              </p>
            )}
          </div>
        )}
        <ErrorNotice error={failure} />
        <div class="dialog-buttons">
          <button type="button" ref={cancelRef} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" class={danger ? 'button-danger' : 'button-primary'} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
