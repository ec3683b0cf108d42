import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ASSIGNED_MRN_PREFIX, ETHNICITY_CODES, GENDER_IDENTITY_CODES, RACE_CODES, SEX_CODES, type NewPatientInput, type Patient } from '../../../electron/domain/patient';
import type { PatientSummary } from '../../../electron/api';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, run, todayIso, type FieldErrors } from '../api';
import { toOptions, useCodeLists } from '../app/CodeLists';
import { CheckboxField, SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { GuardiansFieldset } from './GuardiansFieldset';
import { checkPatientInput, emptyPatientForm, formFromPatient, needsGuardian, patientInputFromForm, type PatientFormValues } from './patient-form-model';

// Register a patient with what MIIS needs for every dose, or edit one (including the MIIS
// data-sharing objection). A likely duplicate (same name and DOB) is shown before creating.

export function PatientForm({
  patient,
  onSaved,
  onCancel,
  onOpenExisting,
}: {
  /** Absent: register a new patient. */
  patient?: Patient;
  onSaved: (patient: Patient) => void;
  onCancel: () => void;
  onOpenExisting: (id: string) => void;
}) {
  const lists = useCodeLists();
  const [values, setValues] = useState<PatientFormValues>(() => (patient ? formFromPatient(patient) : emptyPatientForm));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [duplicates, setDuplicates] = useState<PatientSummary[]>([]);
  const [busy, setBusy] = useState(false);

  const warningRef = useRef<HTMLDivElement>(null);
  // The warning is at the top of a long form: bring it, and the keyboard, to it.
  useEffect(() => {
    if (duplicates.length === 0) return;
    warningRef.current?.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
    warningRef.current?.scrollIntoView?.({ block: 'start' });
  }, [duplicates]);

  const set = <K extends keyof PatientFormValues>(key: K) => (value: PatientFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function save(confirmDuplicate: boolean) {
    const input = patientInputFromForm(values, patient);
    // A walk-in's MRN left empty is assigned by the store; the rest is checked here as usual.
    const assignMrn = !patient && values.mrn.trim() === '';
    const local = checkPatientInput(assignMrn ? { ...input, mrn: `${ASSIGNED_MRN_PREFIX}0` } : input, todayIso());
    if (local.length) {
      setErrors(fieldErrors(local, 'patient'));
      setMessage(t('form.fixErrors'));
      focusFirstError();
      return;
    }
    setBusy(true);
    const r = patient
      ? await run(api().patients.update({ id: patient.id, patient: input, expectedVersion: patient.version }))
      : await run(api().patients.create({ patient: assignMrn ? withoutMrn(input) : input, confirmDuplicate }));
    setBusy(false);
    if (!r.ok) {
      setErrors(fieldErrors(r.error.issues, 'patient'));
      setMessage(r.error.code === 'patient.version_conflict' || r.error.kind === 'conflict' ? t('patient.conflict') : r.error.message);
      focusFirstError();
      return;
    }
    setErrors({});
    setMessage(undefined);
    const value = r.value;
    if ('created' in value) {
      if (value.created) onSaved(value.patient);
      else setDuplicates(value.duplicates);
    } else onSaved(value);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  const err = (key: string) => errors[key];
  const title = patient ? t('patient.editTitle', { name: `${patient.firstName} ${patient.lastName}` }) : t('patient.registerTitle');
  const enumOptions = (codes: readonly string[], prefix: string) => codes.map((c) => ({ value: c, label: t(`${prefix}.${c}` as MessageKey) }));
  const reporting = t('patient.neededForReporting');
  const raceLabel = (code: string) => lists.races.find((r) => r.code === code)?.label ?? code;

  return (
    <section className="card" aria-labelledby="patient-form-title">
      <h1 id="patient-form-title">{title}</h1>
      <form onSubmit={submit} noValidate>
        {message ? <Notice tone="error">{message}</Notice> : null}
        {duplicates.length ? (
          <div id="duplicate-warning" ref={warningRef} className="notice notice--warning" role="alert" data-testid="duplicate-warning">
            <h2>{t('patient.duplicate.title')}</h2>
            <p>{t('patient.duplicate.intro')}</p>
            <ul>
              {duplicates.map((d) => (
                <li key={d.id}>
                  <button type="button" className="btn" onClick={() => onOpenExisting(d.id)}>
                    {t('patient.duplicate.open', { name: `${d.firstName} ${d.lastName} (${d.dob}, ${t('code.mrn', { mrn: d.mrn })})` })}
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="btn btn--danger" onClick={() => void save(true)}>
              {t('patient.duplicate.confirm')}
            </button>
          </div>
        ) : null}
        <fieldset>
          <legend>{t('patient.section.identity')}</legend>
          <div className="grid">
            <TextField id="p-lastName" label={t('patient.lastName')} value={values.lastName} onValue={set('lastName')} error={err('lastName')} required autoFocus />
            <TextField id="p-firstName" label={t('patient.firstName')} value={values.firstName} onValue={set('firstName')} error={err('firstName')} required />
            <TextField id="p-middleName" label={t('patient.middleName')} value={values.middleName} onValue={set('middleName')} error={err('middleName')} />
            <TextField id="p-dob" label={t('patient.dob')} hint={t('patient.dobHint')} value={values.dob} onValue={set('dob')} error={err('dob')} required inputMode="numeric" />
            <TextField id="p-mrn" label={t('patient.mrn')} value={values.mrn} onValue={set('mrn')} error={err('mrn')} required={Boolean(patient)} hint={patient ? undefined : t('patient.mrnAssignedHint')} />
            <SelectField id="p-sex" label={t('patient.sex')} value={values.sex} onValue={set('sex')} options={enumOptions(SEX_CODES, 'patient.sex')} placeholder={t('form.choose')} error={err('sex')} required hint={reporting} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('patient.section.demographics')}</legend>
          <div className="grid">
            <SelectField id="p-gender" label={t('patient.genderIdentity')} value={values.genderIdentity} onValue={set('genderIdentity')} options={enumOptions(GENDER_IDENTITY_CODES, 'patient.gender')} placeholder={t('form.choose')} error={err('genderIdentity')} hint={reporting} />
            <SelectField id="p-ethnicity" label={t('patient.ethnicity')} value={values.ethnicity} onValue={set('ethnicity')} options={ETHNICITY_CODES.map((c) => ({ value: c, label: lists.ethnicities.find((e) => e.code === c)?.label ?? c }))} placeholder={t('form.choose')} error={err('ethnicity')} hint={reporting} />
            <SelectField id="p-language" label={t('patient.language')} value={values.preferredLanguage} onValue={set('preferredLanguage')} options={toOptions(lists.languages)} placeholder={t('form.choose')} error={err('preferredLanguage')} hint={reporting} />
          </div>
          <fieldset aria-describedby={['p-races-hint', err('races') ? 'p-races-error' : ''].filter(Boolean).join(' ')}>
            <legend>{t('patient.races')}</legend>
            <p id="p-races-hint" className="field__hint">
              {reporting}
            </p>
            <div className="grid">
              {RACE_CODES.map((code) => (
                <CheckboxField
                  key={code}
                  id={`p-race-${code}`}
                  label={raceLabel(code)}
                  checked={values.races.includes(code)}
                  onChecked={(on) => set('races')(on ? [...values.races, code] : values.races.filter((r) => r !== code))}
                />
              ))}
            </div>
            {err('races') ? (
              <p id="p-races-error" className="field__error" role="alert">
                {err('races')}
              </p>
            ) : null}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{t('patient.section.contact')}</legend>
          <p id="p-address-hint" className="field__hint">
            {t('patient.addressNeededForReporting')}
          </p>
          <div className="grid">
            <TextField id="p-street1" label={t('patient.street1')} value={values.street1} onValue={set('street1')} error={err('address.street1') ?? err('address')} autoComplete="off" />
            <TextField id="p-street2" label={t('patient.street2')} value={values.street2} onValue={set('street2')} error={err('address.street2')} autoComplete="off" />
            <TextField id="p-city" label={t('patient.city')} value={values.city} onValue={set('city')} error={err('address.city')} autoComplete="off" />
            <TextField id="p-state" label={t('patient.state')} value={values.state} onValue={set('state')} error={err('address.state')} maxLength={2} autoComplete="off" />
            <TextField id="p-zip" label={t('patient.zip')} value={values.zip} onValue={set('zip')} error={err('address.zip')} inputMode="numeric" autoComplete="off" />
            <TextField id="p-phone" type="tel" label={t('patient.phone')} value={values.phone} onValue={set('phone')} error={err('phone')} autoComplete="off" />
            <TextField id="p-email" type="email" label={t('patient.email')} value={values.email} onValue={set('email')} error={err('email')} autoComplete="off" />
          </div>
        </fieldset>
        <GuardiansFieldset guardians={values.guardians} onChange={set('guardians')} errors={errors} minorWithout={needsGuardian(values, todayIso())} />
        <fieldset>
          <legend>{t('patient.section.sharing')}</legend>
          <CheckboxField
            id="p-objection"
            label={t('patient.objection')}
            hint={t('patient.objectionHint')}
            checked={values.dataSharingObjection}
            onChecked={(on) =>
              setValues((v) => ({ ...v, dataSharingObjection: on, dataSharingObjectionDate: on && !v.dataSharingObjectionDate ? todayIso() : v.dataSharingObjectionDate }))
            }
          />
          {values.dataSharingObjection ? (
            <TextField id="p-objectionDate" label={t('patient.objectionDate')} value={values.dataSharingObjectionDate} onValue={set('dataSharingObjectionDate')} error={err('dataSharingObjectionDate')} />
          ) : null}
        </fieldset>
        <div className="btn-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {patient ? t('patient.save') : t('patient.create')}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function withoutMrn(input: ReturnType<typeof patientInputFromForm>): NewPatientInput {
  const { mrn: _mrn, ...rest } = input;
  return rest;
}

function focusFirstError() {
  // After React paints the messages: put the keyboard where the first problem is.
  setTimeout(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, 0);
}
