import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { WorkQueueItem } from '../../../electron/api';
import { t } from '../../i18n';
import { api, fieldErrors, run } from '../api';
import { TextAreaField } from '../ui/Field';
import { Notice } from '../ui/Notice';

// Dismissing a rejection means DoseDesk stops reporting a dose the law wants at MIIS, so it
// takes a reason (kept in the audit trail with the person's name) and a deliberate second step.

export function DismissRejection({ item, onDone, onCancel }: { item: WorkQueueItem; onDone: (item: WorkQueueItem) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    reasonRef.current?.focus();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (reason.trim().length < 3) {
      setReasonError(t('queue.dismiss.reasonNeeded'));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    const r = await run(api().sync.dismiss({ seq: item.seq, reason: reason.trim() }));
    setBusy(false);
    if (r.ok) {
      onDone(r.value);
      return;
    }
    const issues = fieldErrors(r.error.issues, '');
    setReasonError(issues.reason);
    setError(issues.reason ? undefined : r.error.message);
  }

  const id = `dismiss-${item.seq}`;
  return (
    <form className="notice notice--warning" role="alertdialog" aria-labelledby={`${id}-title`} onSubmit={submit} data-testid="dismiss-rejection">
      <h3 id={`${id}-title`}>{t('queue.dismiss.title')}</h3>
      <p>{t('queue.dismiss.explain')}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <TextAreaField
        id={`${id}-reason`}
        label={t('queue.dismiss.reason')}
        required
        textareaRef={reasonRef}
        value={reason}
        rows={2}
        maxLength={500}
        hint={reasonError ? undefined : t('queue.dismiss.reasonHint')}
        error={reasonError}
        onValue={(v) => {
          setReason(v);
          setReasonError(undefined);
        }}
      />
      <div className="btn-row">
        <button type="submit" className="btn btn--danger" disabled={busy}>
          {t('queue.dismiss.confirm')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
