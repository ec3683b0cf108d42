import { useState } from 'react';
import type { ResubmitResult } from '../../../electron/api';
import { t } from '../../i18n';
import { api, run } from '../api';
import { Notice } from '../ui/Notice';

// "Resend all rejected", for the administrator who just fixed the setting that caused them
// (a wrong Vaccine PIN or facility ID). It says what it does before it does it.

export function ResubmitRejected({ count, onDone, onCancel }: { count: number; onDone: (result: ResubmitResult) => void; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function confirm() {
    if (busy) return;
    setBusy(true);
    const r = await run(api().sync.resubmitRejected({}));
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error.message);
  }

  return (
    <div className="notice notice--warning" role="alertdialog" aria-labelledby="resubmit-title" data-testid="resubmit-rejected">
      <h3 id="resubmit-title">{t('queue.resubmit.title')}</h3>
      <p>{t('queue.resubmit.explain')}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="btn-row">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void confirm()}>
          {t('queue.resubmit.confirm', { count })}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </div>
  );
}
