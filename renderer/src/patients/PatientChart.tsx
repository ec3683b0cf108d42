import { useCallback, useEffect, useState } from 'react';
import type { DoseWithStatus, DoseWriteResult, SessionUser } from '../../../electron/api';
import { ageInYears } from '../../../electron/domain/common';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import type { ReportingState } from '../../../electron/domain/dose';
import type { Patient } from '../../../electron/domain/patient';
import { t, type MessageKey } from '../../i18n';
import { api, formatDateTime, run, todayIso } from '../api';
import { useCodeLists } from '../app/CodeLists';
import { DoseForm } from '../doses/DoseForm';
import { useSync } from '../sync/SyncContext';
import { Notice } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';

// One patient: who they are, every dose with where its report stands, and the dose form.
// `N` (outside a text field) starts a dose; a rejected dose opens for fixing in place.

export type DoseMode = { mode: 'new' } | { mode: 'edit'; doseId: string };

export function PatientChart({
  patientId,
  user,
  initialDose,
  onEditPatient,
}: {
  patientId: string;
  user?: SessionUser;
  initialDose?: DoseMode;
  onEditPatient: (patient: Patient) => void;
}) {
  const { outcomeTick, refresh: refreshSync } = useSync();
  const lists = useCodeLists();
  const [patient, setPatient] = useState<Patient>();
  const [doses, setDoses] = useState<DoseWithStatus[]>([]);
  const [error, setError] = useState<string>();
  const [doseMode, setDoseMode] = useState<DoseMode | undefined>(initialDose);
  const [saved, setSaved] = useState<{ doseId: string; deadline?: string }>();

  const loadDoses = useCallback(async () => {
    const r = await run(api().doses.listForPatient({ patientId }));
    if (r.ok) setDoses(r.value);
  }, [patientId]);

  useEffect(() => {
    let alive = true;
    void run(api().patients.get({ id: patientId })).then((r) => {
      if (!alive) return;
      if (r.ok) setPatient(r.value);
      else setError(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [patientId]);

  useEffect(() => {
    void loadDoses();
  }, [loadDoses, outcomeTick]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
      if (!typing && !e.ctrlKey && !e.altKey && !e.metaKey && (e.key === 'n' || e.key === 'N') && !doseMode) {
        e.preventDefault();
        setSaved(undefined);
        setDoseMode({ mode: 'new' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [doseMode]);

  function onSaved(result: DoseWriteResult) {
    setDoseMode(undefined);
    setSaved({ doseId: result.dose.id, deadline: result.outbox?.deadlineAt });
    void loadDoses();
    refreshSync();
    setTimeout(() => document.getElementById('record-dose')?.focus(), 0);
  }

  if (error) return <Notice tone="error">{error}</Notice>;
  if (!patient) return <p>{t('app.loading')}</p>;

  const today = todayIso();
  const years = ageInYears(patient.dob, today);
  const savedDose = saved ? doses.find((d) => d.id === saved.doseId) : undefined;
  const editing = doseMode?.mode === 'edit' ? doses.find((d) => d.id === doseMode.doseId) : undefined;
  const languageName = lists.languages.find((l) => l.code === patient.preferredLanguage)?.label ?? patient.preferredLanguage ?? '—';

  return (
    <div>
      <section className="card" aria-labelledby="chart-title">
        <div className="chart-head">
          <h1 id="chart-title">
            {patient.lastName}, {patient.firstName} {patient.middleName ?? ''}
          </h1>
          <span className="chart-head__meta">
            {patient.dob} · {t('chart.age', { years })} · {t(`patient.sex.${patient.sex}` as MessageKey)} · {t('code.mrn', { mrn: patient.mrn })}
          </span>
        </div>
        <p className="chart-head__meta">
          {patient.address ? `${patient.address.street1}, ${patient.address.city} ${patient.address.state} ${patient.address.zip}` : t('chart.noAddress')}
          {' · '}
          {t('patient.language')}: {languageName}
        </p>
        {patient.dataSharingObjection ? <Notice tone="warning">{t('chart.objects', { date: patient.dataSharingObjectionDate ?? '' })}</Notice> : null}
        <div className="btn-row">
          <button
            id="record-dose"
            type="button"
            className="btn btn--primary"
            aria-keyshortcuts="N"
            onClick={() => {
              setSaved(undefined);
              setDoseMode({ mode: 'new' });
            }}
            disabled={Boolean(doseMode)}
          >
            {t('chart.recordDose')} <kbd>{t('chart.recordDoseKey')}</kbd>
          </button>
          <button type="button" className="btn" onClick={() => onEditPatient(patient)}>
            {t('chart.editPatient')}
          </button>
        </div>
      </section>

      {saved ? (
        <Notice tone="success" testId="dose-saved">
          {t('status.saved')}
          {savedDose ? (
            <>
              {' '}
              — <StatusBadge state={savedDose.reporting.state} />
            </>
          ) : null}
          {saved.deadline ? ` ${t('chart.reportBy', { time: formatDateTime(saved.deadline) })}` : null}
        </Notice>
      ) : null}

      {doseMode && (doseMode.mode === 'new' || editing) ? (
        <DoseForm
          key={doseMode.mode === 'edit' ? doseMode.doseId : 'new'}
          patient={patient}
          user={user}
          editing={editing}
          onSaved={onSaved}
          onCancel={() => setDoseMode(undefined)}
          onEditPatient={() => onEditPatient(patient)}
        />
      ) : null}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('chart.history')}</h2>
        {doses.length === 0 ? (
          <p>{t('chart.noDoses')}</p>
        ) : (
          <table data-testid="dose-history">
            <thead>
              <tr>
                <th scope="col">{t('chart.col.date')}</th>
                <th scope="col">{t('chart.col.vaccine')}</th>
                <th scope="col">{t('chart.col.lot')}</th>
                <th scope="col">{t('chart.col.kind')}</th>
                <th scope="col">{t('chart.col.status')}</th>
                <th scope="col">{t('chart.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {doses.map((d) => (
                <DoseRow key={d.id} dose={d} onFix={() => setDoseMode({ mode: 'edit', doseId: d.id })} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

const FIXABLE: ReportingState[] = ['rejected', 'warning'];

function DoseRow({ dose, onFix }: { dose: DoseWithStatus; onFix: () => void }) {
  const name = cvxInfo(dose.cvx)?.shortName ?? dose.cvx;
  const state = dose.reporting.state;
  return (
    <tr data-dose-id={dose.id} data-state={state}>
      <td>{dose.administeredOn}</td>
      <td>
        {name} <span className="field__hint">{t('code.cvx', { code: dose.cvx })}</span>
      </td>
      <td>{dose.lotNumber ?? '—'}</td>
      <td>{t(`kind.${dose.kind}` as MessageKey)}</td>
      <td>
        <StatusBadge state={state} />
        {dose.reporting.messages.map((m, i) => (
          <p key={i} className={`registry-msg${m.severity === 'warning' ? ' registry-msg--warning' : ''}`}>
            {m.text}
          </p>
        ))}
      </td>
      <td>
        {FIXABLE.includes(state) ? (
          <button type="button" className="btn" onClick={onFix}>
            {t('chart.fix')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
