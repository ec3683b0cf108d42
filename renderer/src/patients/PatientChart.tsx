import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { DoseWithStatus, DoseWriteResult, PatientForecast, SessionUser } from '../../../electron/api';
import { ageInYears } from '../../../electron/domain/common';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import type { ReportingState } from '../../../electron/domain/dose';
import type { Patient } from '../../../electron/domain/patient';
import { t, type MessageKey } from '../../i18n';
import { api, run, todayIso } from '../api';
import { useCodeLists } from '../app/CodeLists';
import { ConditionsPanel } from '../conditions/ConditionsPanel';
import { DeleteDose } from '../doses/DeleteDose';
import { DoseForm } from '../doses/DoseForm';
import { DuePanel } from '../forecast/DuePanel';
import { useLotsInStock } from '../lots/useLotsInStock';
import { engineText } from '../sync/engine-text';
import { SavedNotice } from '../sync/SavedNotice';
import { useSync, useSyncOutcomes, type OutcomeEvent } from '../sync/SyncContext';
import { Notice } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';

// One patient: who they are, what is due, every dose with where its report stands, and the
// dose form. `N` (outside a text field) starts a dose; a rejected dose opens for fixing in place.
// The chart reads the patient's records when a person opens it or changes something; answers
// from the registry update a row's state from the sync event alone (no read, no audit row), and
// the registry's words are read when someone asks for them or opens the fix.

/** A chart row; `unreadMessages` counts registry messages the row has not read yet. */
export type ChartDose = DoseWithStatus & { unreadMessages?: number };

/** A sync outcome applied to the chart's rows, without the registry's words. */
export function applyOutcome(doses: readonly ChartDose[], event: OutcomeEvent): ChartDose[] {
  const update = event.reporting;
  if (!update) return [...doses];
  return doses.map((d): ChartDose => {
    if (d.id !== event.doseId) return d;
    const reporting: DoseWithStatus['reporting'] = { state: update.state, messages: [] };
    if (update.lastAcceptedAt) reporting.lastAcceptedAt = update.lastAcceptedAt;
    if (update.deadline) reporting.deadline = update.deadline;
    // What the row read already says the same: keep the words it has.
    const same = d.reporting.state === update.state && d.reporting.messages.length === update.messageCount && !d.unreadMessages;
    if (same) return { ...d, reporting: { ...reporting, messages: d.reporting.messages } };
    const next: ChartDose = { ...d, reporting };
    delete next.unreadMessages;
    if (update.messageCount > 0) next.unreadMessages = update.messageCount;
    return next;
  });
}

export type DoseMode = { mode: 'new'; cvx?: string } | { mode: 'edit'; doseId: string };

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
  const { refresh: refreshSync, status: syncStatus } = useSync();
  const lists = useCodeLists();
  const [patient, setPatient] = useState<Patient>();
  const [doses, setDoses] = useState<ChartDose[]>([]);
  const [error, setError] = useState<string>();
  const [doseMode, setDoseMode] = useState<DoseMode | undefined>(initialDose);
  const [saved, setSaved] = useState<{ doseId: string; deadline?: string }>();
  const [deleting, setDeleting] = useState<string>();
  const [deleted, setDeleted] = useState<{ reported: boolean }>();
  const [forecast, setForecast] = useState<{ value?: PatientForecast; error?: string }>({});
  /** Changes whenever the doses that the forecast reads change. */
  const doseKey = doses.map((d) => `${d.id}:${d.version}`).join(',');
  const stock = useLotsInStock(doseKey);
  /** Bumped when a condition changes: the forecast reads those too. */
  const [conditionsKey, setConditionsKey] = useState(0);

  /** Outcomes heard while a list read is on its way: applied on top of what it returns. */
  const heardDuringLoad = useRef<OutcomeEvent[] | undefined>(undefined);
  const loads = useRef(0);

  const loadDoses = useCallback(async () => {
    const mine = ++loads.current;
    heardDuringLoad.current = [];
    const r = await run(api().doses.listForPatient({ patientId }));
    if (mine !== loads.current) return;
    const heard = heardDuringLoad.current ?? [];
    heardDuringLoad.current = undefined;
    if (r.ok) setDoses(heard.reduce<ChartDose[]>(applyOutcome, r.value));
  }, [patientId]);

  useSyncOutcomes((event) => {
    if (event.patientId !== patientId || !event.reporting) return;
    heardDuringLoad.current?.push(event);
    setDoses((current) => applyOutcome(current, event));
  });

  /** Reads one dose again (its registry messages), because a person asked to see or fix it. */
  const readDose = useCallback(async (doseId: string): Promise<boolean> => {
    const r = await run(api().doses.get({ id: doseId }));
    if (!r.ok) {
      setError(r.error.message);
      return false;
    }
    setDoses((current) => current.map((d) => (d.id === doseId ? r.value : d)));
    return true;
  }, []);

  async function fix(dose: ChartDose) {
    if (dose.unreadMessages && !(await readDose(dose.id))) return;
    setDoseMode({ mode: 'edit', doseId: dose.id });
  }

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
  }, [loadDoses]);

  useEffect(() => {
    let alive = true;
    void run(api().forecast.forPatient({ patientId })).then((r) => {
      if (!alive) return;
      setForecast(r.ok ? { value: r.value } : { error: r.error.message });
    });
    return () => {
      alive = false;
    };
  }, [patientId, doseKey, conditionsKey]);

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

  function onDeleted(result: DoseWriteResult) {
    setDeleting(undefined);
    setSaved(undefined);
    setDeleted({ reported: result.outbox !== undefined });
    void loadDoses();
    refreshSync();
    setTimeout(() => document.getElementById('record-dose')?.focus(), 0);
  }

  if (error) return <Notice tone="error">{error}</Notice>;
  if (!patient) return <p>{t('app.loading')}</p>;

  const today = todayIso();
  const years = ageInYears(patient.dob, today);
  const months = ageInMonths(patient.dob, today);
  const due = forecast.value;
  const dueGroups = due ? [...due.overdue, ...due.dueToday, ...due.dueSoon].map((i) => ({ group: i.vaccineGroup, cvx: i.vaccines.map((v) => v.cvx) })) : [];
  // Recording, fixing and deleting doses is for clinicians and administrators (the contract's rule).
  const canChangeDoses = user?.role !== 'front_desk';
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
            {patient.dob} · {years < 2 ? t('chart.ageMonths', { months }) : t('chart.age', { years })} · {t(`patient.sex.${patient.sex}` as MessageKey)} · {t('code.mrn', { mrn: patient.mrn })}
          </span>
        </div>
        <p className="chart-head__meta">
          {patient.address ? `${patient.address.street1}, ${patient.address.city} ${patient.address.state} ${patient.address.zip}` : t('chart.noAddress')}
          {' · '}
          {t('patient.language')}: {languageName}
        </p>
        {patient.guardians.length > 0 ? (
          <p className="chart-head__meta" data-testid="chart-guardians">
            {t('chart.guardians')}:{' '}
            {patient.guardians
              .map((g) => `${g.firstName} ${g.lastName} (${lists.relationships.find((r) => r.code === g.relationship)?.label ?? g.relationship})${g.phone ? ` ${g.phone}` : ''}`)
              .join(' · ')}
          </p>
        ) : null}
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

      {deleted ? (
        <Notice tone="success" testId="dose-deleted">
          {deleted.reported ? t('dose.deletedReport') : t('dose.deleted')}
        </Notice>
      ) : null}

      {saved ? (
        <SavedNotice reporting={savedDose?.reporting} deadline={savedDose?.reporting.deadline ?? saved.deadline} now={new Date()} helpDesk={syncStatus?.helpDesk} />
      ) : null}

      {doseMode && (doseMode.mode === 'new' || editing) ? (
        <DoseForm
          key={doseMode.mode === 'edit' ? doseMode.doseId : `new-${doseMode.cvx ?? ''}`}
          patient={patient}
          user={user}
          editing={editing}
          dueCvx={forecast.value?.dueVaccines}
          dueGroups={dueGroups}
          initialCvx={doseMode.mode === 'new' ? doseMode.cvx : undefined}
          onSaved={onSaved}
          onCancel={() => setDoseMode(undefined)}
          onEditPatient={() => onEditPatient(patient)}
        />
      ) : null}

      {doseMode ? null : (
        <DuePanel
          forecast={forecast.value}
          error={forecast.error}
          dob={patient.dob}
          stock={stock}
          onGive={
            user?.role === 'front_desk'
              ? undefined
              : (cvx) => {
                  setSaved(undefined);
                  setDoseMode({ mode: 'new', cvx });
                }
          }
        />
      )}

      <ConditionsPanel patientId={patientId} canEdit={canChangeDoses} forecast={forecast.value} onChanged={() => setConditionsKey((k) => k + 1)} />

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
                <Fragment key={d.id}>
                  <DoseRow
                    dose={d}
                    onFix={() => void fix(d)}
                    onShowMessages={() => void readDose(d.id)}
                    onDelete={
                      canChangeDoses && !doseMode && deleting !== d.id
                        ? () => {
                            setDeleted(undefined);
                            setDeleting(d.id);
                          }
                        : undefined
                    }
                  />
                  {deleting === d.id ? (
                    <tr>
                      <td colSpan={6}>
                        <DeleteDose dose={d} onDone={onDeleted} onCancel={() => setDeleting(undefined)} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** Whole months of age: what counts for an infant's schedule. */
function ageInMonths(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return Math.max(0, (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0));
}

const FIXABLE: ReportingState[] = ['rejected', 'warning'];

function DoseRow({ dose, onFix, onShowMessages, onDelete }: { dose: ChartDose; onFix: () => void; onShowMessages: () => void; onDelete?: () => void }) {
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
            {engineText({ code: m.code, message: m.text, params: m.params })}
          </p>
        ))}
        {dose.unreadMessages ? (
          <>
            <br />
            <button type="button" className="btn" onClick={onShowMessages}>
              {t('chart.showRegistryWords', { count: dose.unreadMessages })}
            </button>
          </>
        ) : null}
      </td>
      <td>
        {FIXABLE.includes(state) ? (
          <button type="button" className="btn" onClick={onFix}>
            {t('chart.fix')}
          </button>
        ) : null}{' '}
        {onDelete ? (
          <button type="button" className="btn btn--danger" onClick={onDelete} aria-label={t('dose.delete.openLabel', { vaccine: name, date: dose.administeredOn })}>
            {t('dose.delete.open')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
