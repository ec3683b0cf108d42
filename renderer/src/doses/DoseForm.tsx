import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DoseWithStatus, DoseWriteResult, FieldIssue, Lot, SessionUser } from '../../../electron/api';
import { parseGs1 } from '../../../electron/domain/barcode/gs1';
import type { Clinician } from '../../../electron/domain/clinician';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { ageInYears } from '../../../electron/domain/common';
import { DOSE_KINDS, type DoseKind } from '../../../electron/domain/dose';
import { validateDose } from '../../../electron/domain/dose-rules';
import type { Patient } from '../../../electron/domain/patient';
import { t, type MessageKey } from '../../i18n';
import { api, normalizeDateInput, run, todayIso, type FieldErrors } from '../api';
import { toOptions, useCodeLists } from '../app/CodeLists';
import { engineText } from '../sync/engine-text';
import { CheckboxField, SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import {
  defaultClinician,
  doseInputFromForm,
  formFromDose,
  ndcHint,
  newDoseForm,
  withLot,
  withVaccine,
  type DoseFormValues,
} from './dose-form-model';
import { useBarcodeWedge } from './useBarcodeWedge';
import { useEscapeToClose } from './useEscapeToClose';
import { VaccinePicker, type DueGroup } from './VaccinePicker';
import { soonestUsableLot } from './vaccine-ranking';

// Record a dose (given here, historical or refused), or fix one the registry rejected. Enter
// moves to the next empty required field and submits once nothing required is missing;
// Ctrl+Enter submits from anywhere. Saved is shown only when the store has committed.

const FIELD_KEYS = new Set([
  'cvx', 'lotId', 'lotNumber', 'mvx', 'expirationDate', 'ndc', 'amountMl', 'route', 'site', 'vfcEligibility', 'fundingSource',
  'administeringClinicianId', 'administeredOn', 'administeredTime', 'historicalSource', 'refusalReason', 'vis', 'notes',
]);

function fieldKey(path: string): string {
  const key = path.replace(/^dose\./, '').split('.')[0] ?? '';
  return FIELD_KEYS.has(key) ? key : '';
}

export interface DoseFormProps {
  patient: Patient;
  user?: SessionUser;
  /** A dose the registry rejected or warned about: edit and resend. */
  editing?: DoseWithStatus;
  onSaved: (result: DoseWriteResult) => void;
  onCancel: () => void;
  onEditPatient: () => void;
  /** CVX codes due for the patient now (forecast order): offered first in the vaccine picker. */
  dueCvx?: readonly string[];
  /** The vaccine groups due now, for one-click choices. */
  dueGroups?: readonly DueGroup[];
  /** Start with this vaccine chosen (from the chart's due list). */
  initialCvx?: string;
}

export function DoseForm({ patient, user, editing, onSaved, onCancel, onEditPatient, dueCvx, dueGroups, initialCvx }: DoseFormProps) {
  const lists = useCodeLists();
  const today = todayIso();
  const [values, setValues] = useState<DoseFormValues>(() =>
    editing
      ? formFromDose(editing, cvxInfo(editing.cvx)?.shortName ?? editing.cvx)
      : startWith(newDoseForm({ dob: patient.dob, today, now: new Date(), clinicianId: '' }), initialCvx, patient.dob),
  );
  const [errors, setErrors] = useState<FieldErrors>(() => registryErrors(editing).fields);
  const [summary, setSummary] = useState<string[]>(() => registryErrors(editing).other);
  const [patientIssues, setPatientIssues] = useState<FieldIssue[]>(() => registryErrors(editing).patient);
  const [scanNote, setScanNote] = useState<{ tone: 'info' | 'error'; text: string }>();
  const [lots, setLots] = useState<Lot[]>([]);
  const [clinicians, setClinicians] = useState<Clinician[]>([]);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const valuesRef = useRef(values);
  valuesRef.current = values;
  const autoLotFor = useRef<string>(editing ? editing.cvx : '');
  useEscapeToClose(formRef, onCancel);

  const set = <K extends keyof DoseFormValues>(key: K) => (value: DoseFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    let alive = true;
    void run(api().clinicians.list({})).then((r) => {
      if (!alive || !r.ok) return;
      setClinicians(r.value);
      const chosen = defaultClinician(user, r.value);
      setValues((v) => (v.administeringClinicianId ? v : { ...v, administeringClinicianId: chosen }));
    });
    return () => {
      alive = false;
    };
  }, [user]);

  const applyLot = useCallback(async (lotId: string) => {
    if (!lotId) {
      setValues((v) => ({ ...v, lotId: '' }));
      return;
    }
    setValues((v) => ({ ...v, lotId }));
    const r = await run(api().codes.lotDefaults({ lotId }));
    if (r.ok) setValues((v) => (v.lotId === lotId ? withLot(v, r.value) : v));
  }, []);

  // Started from the due list: the vaccine is chosen, the lot is next.
  useEffect(() => {
    if (initialCvx) setTimeout(() => document.getElementById('dose-lot')?.focus(), 0);
  }, [initialCvx]);

  // The vaccine decides which lots can be picked; its soonest-expiring usable lot is picked for you.
  useEffect(() => {
    if (!values.cvx) {
      setLots([]);
      return;
    }
    let alive = true;
    void run(api().lots.list({ cvx: values.cvx })).then((r) => {
      if (!alive || !r.ok) return;
      const sorted = [...r.value].sort((a, b) => a.expirationDate.localeCompare(b.expirationDate));
      setLots(sorted);
      if (autoLotFor.current === values.cvx) return;
      autoLotFor.current = values.cvx;
      const current = valuesRef.current;
      if (current.kind !== 'administered' || current.lotId) return;
      const byNumber = current.lotNumber ? sorted.find((l) => l.lotNumber.toUpperCase() === current.lotNumber.toUpperCase()) : undefined;
      // The fridge's rule: the soonest-expiring usable lot goes first.
      const pick = byNumber ?? soonestUsableLot(sorted, values.cvx, today);
      if (pick) void applyLot(pick.id);
    });
    return () => {
      alive = false;
    };
  }, [values.cvx, today, applyLot]);

  // Keyboard-wedge scanner: a GS1 DataMatrix fills vaccine, NDC, lot and expiry.
  useBarcodeWedge<DoseFormValues>({
    snapshot: () => valuesRef.current,
    onScan: (text, before) => {
      const scan = parseGs1(text);
      if (!scan.ok) {
        setValues(before);
        setScanNote({ tone: 'error', text: t('dose.scanFailed', { message: scan.error }) });
        return true;
      }
      let next: DoseFormValues = { ...before };
      if (scan.cvx) next = withVaccine(next, scan.cvx, cvxInfo(scan.cvx)?.shortName ?? scan.cvx, patient.dob);
      next = {
        ...next,
        lotId: '',
        ndc: scan.ndc ?? next.ndc,
        mvx: scan.mvx ?? next.mvx,
        lotNumber: scan.lot ?? next.lotNumber,
        expirationDate: scan.expiration ?? next.expirationDate,
      };
      autoLotFor.current = '';
      setValues(next);
      setErrors({});
      const parts = [t('dose.scanned', { ndc: scan.ndc ?? scan.gtin, lot: scan.lot ?? '—', exp: scan.expiration ?? '—' }), ...scan.warnings];
      setScanNote({ tone: 'info', text: parts.join(' ') });
      return true;
    },
  });

  function focusNextEmpty(): boolean {
    const form = formRef.current;
    if (!form) return false;
    const required = Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[aria-required="true"]'));
    const empty = required.find((el) => !el.disabled && (el.dataset.empty === 'true' || (el.dataset.empty === undefined && el.value.trim() === '')));
    if (empty) {
      empty.focus();
      return true;
    }
    return false;
  }

  function onFormKey(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key !== 'Enter' || e.defaultPrevented) return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') return;
    e.preventDefault();
    if (e.ctrlKey || !focusNextEmpty()) formRef.current?.requestSubmit();
  }

  function onPickVaccine(cvx: string, name: string) {
    setValues((v) => withVaccine(v, cvx, name, patient.dob));
    setErrors((e) => ({ ...e, cvx: '' }));
    setTimeout(() => document.getElementById(values.kind === 'administered' ? 'dose-lot' : 'dose-date')?.focus(), 0);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const input = doseInputFromForm({ ...values, administeredOn: normalizeDateInput(values.administeredOn) }, patient.id);
    const lot = lots.find((l) => l.id === values.lotId);
    const local = validateDose(input, {
      patient,
      lot,
      today,
      administeringClinicianKnown: values.administeringClinicianId ? clinicians.some((c) => c.id === values.administeringClinicianId && c.active) : undefined,
    });
    if (!local.ok) return showIssues(local.issues);
    setBusy(true);
    const r = editing
      ? await run(api().doses.edit({ id: editing.id, dose: input, expectedVersion: editing.version }))
      : await run(api().doses.record({ dose: input }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.issues?.length) return showIssues(r.error.issues);
      setSummary([r.error.message]);
      return;
    }
    onSaved(r.value);
  }

  function showIssues(issues: readonly FieldIssue[]) {
    const doseIssues = issues.filter((i) => !i.path.startsWith('patient.'));
    const fields: FieldErrors = {};
    const other: string[] = [];
    for (const issue of doseIssues) {
      const key = fieldKey(issue.path);
      if (key && !fields[key]) fields[key] = issue.message;
      else if (!key) other.push(issue.message);
    }
    setErrors(fields);
    setSummary(other);
    setPatientIssues(issues.filter((i) => i.path.startsWith('patient.')));
    setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  }

  const kind = values.kind;
  const lotOptions = lots
    .filter((l) => l.active || l.id === values.lotId)
    .map((l) => ({
      value: l.id,
      label: l.expirationDate < today ? t('dose.lotExpired', { lot: l.lotNumber, exp: l.expirationDate }) : t('dose.lotOption', { lot: l.lotNumber, exp: l.expirationDate, count: l.dosesOnHand }),
    }));
  const clinicianOptions = clinicians.filter((c) => c.active && c.canAdminister).map((c) => ({ value: c.id, label: `${c.firstName} ${c.lastName}, ${c.credential}` }));
  const err = (k: string) => errors[k] || undefined;
  const hasErrors = Object.values(errors).some(Boolean) || summary.length > 0 || patientIssues.length > 0;

  return (
    <section className="card dose-form" aria-labelledby="dose-form-title">
      <h2 id="dose-form-title">{editing ? t('dose.editTitle') : t('dose.title')}</h2>
      <form ref={formRef} onSubmit={submit} onKeyDown={onFormKey} noValidate>
        {hasErrors ? (
          <Notice tone="error" testId="dose-errors">
            <p>{t('form.fixErrors')}</p>
            {summary.length ? (
              <ul>
                {summary.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
            {patientIssues.length ? (
              <>
                <p>{t('dose.patientIssues')}</p>
                <ul>
                  {patientIssues.map((i, n) => (
                    <li key={`${i.path}-${n}`}>{i.message}</li>
                  ))}
                </ul>
                <button type="button" className="btn" onClick={onEditPatient}>
                  {t('dose.editPatient')}
                </button>
              </>
            ) : null}
          </Notice>
        ) : null}
        {scanNote ? (
          <Notice tone={scanNote.tone} testId="scan-note">
            {scanNote.text}
          </Notice>
        ) : (
          <p className="field__hint">{t('dose.scanHint')}</p>
        )}
        <fieldset className="kind-choice">
          <legend className="visually-hidden">{t('dose.kind')}</legend>
          {DOSE_KINDS.map((k: DoseKind) => (
            <span key={k}>
              <input type="radio" id={`dose-kind-${k}`} name="dose-kind" value={k} checked={kind === k} disabled={Boolean(editing)} onChange={() => set('kind')(k)} />{' '}
              <label htmlFor={`dose-kind-${k}`}>{t(`kind.${k}` as MessageKey)}</label>
            </span>
          ))}
        </fieldset>
        <div className="grid grid--wide">
          <VaccinePicker
            query={values.vaccineQuery}
            onQuery={set('vaccineQuery')}
            cvx={values.cvx}
            chosenName={values.vaccineName}
            onPick={(o) => onPickVaccine(o.cvx, o.shortName)}
            error={err('cvx')}
            includeInactive={kind !== 'administered'}
            autoFocus={!initialCvx}
            dueCvx={editing ? [] : dueCvx}
            dueGroups={editing ? [] : dueGroups}
            ageYears={ageInYears(patient.dob, today)}
          />
          {kind === 'administered' ? (
            <SelectField
              id="dose-lot"
              label={t('dose.lot')}
              value={values.lotId}
              onValue={(id) => void applyLot(id)}
              options={lotOptions}
              placeholder={lotOptions.length ? t('form.choose') : t('dose.lotNone')}
              error={err('lotId')}
            />
          ) : null}
        </div>
        {kind !== 'refusal' ? (
          <div className="grid">
            <TextField id="dose-lotNumber" label={t('dose.lotNumber')} value={values.lotNumber} onValue={set('lotNumber')} error={err('lotNumber')} required={kind === 'administered'} autoComplete="off" />
            <SelectField
              id="dose-mvx"
              label={t('dose.mvx')}
              value={values.mvx}
              onValue={set('mvx')}
              options={toOptions(lists.manufacturers, true)}
              placeholder={t('form.choose')}
              error={err('mvx')}
              required={kind === 'administered'}
            />
            <TextField id="dose-expiration" label={t('dose.expiration')} value={values.expirationDate} onValue={set('expirationDate')} error={err('expirationDate')} required={kind === 'administered'} placeholder={t('form.datePlaceholder')} autoComplete="off" />
            <TextField id="dose-ndc" label={t('dose.ndc')} value={values.ndc} onValue={set('ndc')} error={err('ndc')} hint={ndcHint(values)} autoComplete="off" />
          </div>
        ) : null}
        {kind === 'administered' ? (
          <div className="grid">
            <TextField id="dose-amount" label={t('dose.amount')} value={values.amountMl} onValue={set('amountMl')} error={err('amountMl')} required inputMode="decimal" autoComplete="off" />
            <SelectField id="dose-route" label={t('dose.route')} value={values.route} onValue={set('route')} options={toOptions(lists.routes)} placeholder={t('form.choose')} error={err('route')} required />
            <SelectField id="dose-site" label={t('dose.site')} value={values.site} onValue={set('site')} options={toOptions(lists.sites)} placeholder={t('form.choose')} error={err('site')} required />
            <SelectField id="dose-vfc" label={t('dose.vfc')} value={values.vfcEligibility} onValue={set('vfcEligibility')} options={toOptions(lists.vfcEligibility, true)} placeholder={t('form.choose')} error={err('vfcEligibility')} required />
            <SelectField id="dose-funding" label={t('dose.funding')} value={values.fundingSource} onValue={set('fundingSource')} options={toOptions(lists.fundingSources)} placeholder={t('form.choose')} error={err('fundingSource')} />
            <SelectField id="dose-clinician" label={t('dose.clinician')} value={values.administeringClinicianId} onValue={set('administeringClinicianId')} options={clinicianOptions} placeholder={t('form.choose')} error={err('administeringClinicianId')} required />
          </div>
        ) : null}
        <div className="grid">
          <TextField id="dose-date" label={t('dose.date')} value={values.administeredOn} onValue={set('administeredOn')} error={err('administeredOn')} required autoComplete="off" />
          {kind === 'administered' ? (
            <TextField id="dose-time" label={t('dose.time')} value={values.administeredTime} onValue={set('administeredTime')} error={err('administeredTime')} placeholder={t('form.timePlaceholder')} autoComplete="off" />
          ) : null}
          {kind === 'historical' ? (
            <SelectField id="dose-historical" label={t('dose.historicalSource')} value={values.historicalSource} onValue={set('historicalSource')} options={toOptions(lists.historicalSources)} placeholder={t('form.choose')} error={err('historicalSource')} required />
          ) : null}
          {kind === 'refusal' ? (
            <SelectField id="dose-refusal" label={t('dose.refusalReason')} value={values.refusalReason} onValue={set('refusalReason')} options={toOptions(lists.refusalReasons)} placeholder={t('form.choose')} error={err('refusalReason')} required />
          ) : null}
        </div>
        {kind === 'administered' ? (
          <fieldset aria-describedby={err('vis') ? 'dose-vis-error' : undefined}>
            <legend>{t('dose.vis')}</legend>
            {values.vis.length === 0 ? <p className="field__hint">{t('dose.visNone')}</p> : null}
            <ul className="vis-list">
              {values.vis.map((v, i) => (
                <li key={`${v.documentType}-${v.editionDate}`}>
                  <CheckboxField
                    id={`dose-vis-${i}`}
                    label={t('dose.visItem', { type: v.documentType, edition: v.editionDate })}
                    checked={v.given}
                    onChecked={(given) => setValues((s) => ({ ...s, vis: s.vis.map((x, j) => (j === i ? { ...x, given } : x)) }))}
                  />
                </li>
              ))}
            </ul>
            {err('vis') ? (
              <p id="dose-vis-error" className="field__error" role="alert">
                {err('vis')}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="btn-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? t('form.saving') : editing ? t('dose.resend') : t('dose.save')}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            {t('form.cancel')}
          </button>
          <span className="field__hint">
            {t('dose.keysHint')}
          </span>
        </div>
      </form>
    </section>
  );
}

function startWith(values: DoseFormValues, cvx: string | undefined, dob: string): DoseFormValues {
  if (!cvx) return values;
  return withVaccine(values, cvx, cvxInfo(cvx)?.shortName ?? cvx, dob);
}

/** The registry's words on the field they concern: a dose field, the patient record, or the summary. */
function registryErrors(dose: DoseWithStatus | undefined): { fields: FieldErrors; other: string[]; patient: FieldIssue[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const patient: FieldIssue[] = [];
  for (const m of dose?.reporting.messages ?? []) {
    const text = t('dose.registrySaid', { text: engineText({ code: m.code, message: m.text, params: m.params }) });
    const key = m.field ? fieldKey(m.field) : '';
    if (m.field?.startsWith('patient')) patient.push({ path: m.field, message: text, code: m.code ?? 'registry' });
    else if (key && !fields[key]) fields[key] = text;
    else other.push(text);
  }
  return { fields, other, patient };
}

