import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DoseWithStatus, DoseWriteResult } from '../../../electron/api';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { t } from '../../i18n';
import { api, fieldErrors, run } from '../api';
import { TextAreaField } from '../ui/Field';
import { Notice } from '../ui/Notice';

// Deleting a dose from the chart: a reason (kept in the audit trail and the outbox entry) and a
// second, explicit confirmation. A reported dose gets a delete message to MIIS (RXA-21 `D`); an
// add never sent is simply cancelled.

export function DeleteDose({ dose, onDone, onCancel }: { dose: DoseWithStatus; onDone: (result: DoseWriteResult) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const name = cvxInfo(dose.cvx)?.shortName ?? dose.cvx;
  const reported = dose.reporting.state !== 'not_reported' && dose.reporting.state !== 'cancelled';

  useEffect(() => {
    reasonRef.current?.focus();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (reason.trim().length < 3) {
      setReasonError(t('dose.delete.reasonNeeded'));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    const r = await run(api().doses.remove({ id: dose.id, reason: reason.trim() }));
    setBusy(false);
    if (r.ok) {
      onDone(r.value);
      return;
    }
    const issues = fieldErrors(r.error.issues, '');
    setReasonError(issues.reason);
    setError(issues.reason ? undefined : r.error.message);
  }

  return (
    <form className="notice notice--warning delete-dose" role="alertdialog" aria-labelledby={`delete-${dose.id}-title`} onSubmit={submit} data-testid="delete-dose">
      <h3 id={`delete-${dose.id}-title`}>{t('dose.delete.title', { vaccine: name, date: dose.administeredOn })}</h3>
      <p>{reported ? t('dose.delete.reported') : t('dose.delete.unreported')}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <TextAreaField
        id={`delete-${dose.id}-reason`}
        label={t('dose.delete.reason')}
        required
        textareaRef={reasonRef}
        value={reason}
        rows={2}
        maxLength={500}
        // The hint gives way to the error, so the reason is described by one sentence at a time.
        hint={reasonError ? undefined : t('dose.delete.reasonHint')}
        error={reasonError}
        onValue={(value) => {
          setReason(value);
          setReasonError(undefined);
        }}
      />
      <div className="btn-row">
        <button type="submit" className="btn btn--danger" disabled={busy}>
          {busy ? t('form.saving') : t('dose.delete.confirm')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('dose.delete.keep')}
        </button>
      </div>
    </form>
  );
}
