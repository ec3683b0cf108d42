import { useCallback, useEffect, useState } from 'react';
import type { WorkQueueItem } from '../../../electron/api';
import { t, type MessageKey } from '../../i18n';
import { api, formatDateTime, run } from '../api';
import { Notice } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';
import { useSync } from './SyncContext';

// Every report MIIS rejected or accepted with warnings, with the registry's own words and the
// form field each one points at, and a way straight to the fix.

const KNOWN_FIELDS = new Set<string>([
  'dose.cvx', 'dose.lotId', 'dose.lotNumber', 'dose.mvx', 'dose.expirationDate', 'dose.ndc', 'dose.amountMl', 'dose.route', 'dose.site',
  'dose.vfcEligibility', 'dose.fundingSource', 'dose.administeringClinicianId', 'dose.administeredOn', 'dose.vis',
]);

const PATIENT_FIELDS: Record<string, MessageKey> = {
  'patient.lastName': 'patient.lastName',
  'patient.firstName': 'patient.firstName',
  'patient.dob': 'patient.dob',
  'patient.mrn': 'patient.mrn',
  'patient.sex': 'patient.sex',
  'patient.genderIdentity': 'patient.genderIdentity',
  'patient.races': 'patient.races',
  'patient.ethnicity': 'patient.ethnicity',
  'patient.preferredLanguage': 'patient.language',
  'patient.address': 'patient.street1',
  'patient.phone': 'patient.phone',
};

/** The form label a registry error points at (`patient.races` → "Patient record: Race …"). */
export function fieldLabel(path: string | undefined): string {
  if (!path) return t('field.unknown');
  if (KNOWN_FIELDS.has(path)) return t(`field.${path}` as MessageKey);
  const patientKey = PATIENT_FIELDS[path] ?? PATIENT_FIELDS[path.split('.').slice(0, 2).join('.')];
  if (patientKey) return `${t('field.patient')}: ${t(patientKey)}`;
  if (path.startsWith('patient')) return t('field.patient');
  return path;
}

export function WorkQueue({ onFix, onOpen }: { onFix: (patientId: string, doseId: string) => void; onOpen: (patientId: string) => void }) {
  const { outcomeTick } = useSync();
  const [items, setItems] = useState<WorkQueueItem[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    const r = await run(api().sync.workQueue({ limit: 200 }));
    if (r.ok) {
      setItems(r.value.items);
      setError(undefined);
    } else setError(r.error.message);
  }, []);

  useEffect(() => {
    void load();
  }, [load, outcomeTick]);

  return (
    <section className="card" aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <p>{t('queue.intro')}</p>
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => void load()}>
          {t('queue.refresh')}
        </button>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {items && items.length === 0 ? <Notice tone="success">{t('queue.empty')}</Notice> : null}
      {items && items.length > 0 ? (
        <table data-testid="work-queue">
          <thead>
            <tr>
              <th scope="col">{t('queue.patient')}</th>
              <th scope="col">{t('queue.state')}</th>
              <th scope="col">{t('queue.messages')}</th>
              <th scope="col">{t('chart.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.seq} data-seq={item.seq}>
                <td>
                  {item.patientName ?? t('queue.unknownPatient')}
                  <br />
                  <span className="field__hint">{formatDateTime(item.updatedAt)}</span>
                </td>
                <td>
                  <StatusBadge state={item.state === 'warning' ? 'warning' : 'rejected'} />
                </td>
                <td>
                  {item.messages.length === 0 && item.ackText ? <p className="registry-msg">{item.ackText}</p> : null}
                  {item.messages.map((m, i) => (
                    <p key={i} className={`registry-msg${m.severity === 'warning' ? ' registry-msg--warning' : ''}`}>
                      {m.text}
                      <br />
                      <span className="field__hint">{t('queue.field', { field: fieldLabel(m.field) })}</span>
                    </p>
                  ))}
                </td>
                <td>
                  <div className="btn-row">
                    <button type="button" className="btn btn--primary" onClick={() => onFix(item.patientId, item.doseId)}>
                      {t('queue.fix')}
                    </button>
                    <button type="button" className="btn" onClick={() => onOpen(item.patientId)}>
                      {t('queue.open')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
