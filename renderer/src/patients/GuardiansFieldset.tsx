import { useRef } from 'react';
import { RELATIONSHIP_CODES } from '../../../electron/domain/patient';
import { t } from '../../i18n';
import type { FieldErrors } from '../api';
import { useCodeLists } from '../app/CodeLists';
import { SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { MAX_GUARDIANS, emptyGuardian, type GuardianFormValues } from './patient-form-model';

// Parents, guardians and next of kin (HL7 NK1, relationship from HL7 0063): add, edit, remove.
// MIIS expects one for a minor; the form says so but does not refuse to save without.

export function GuardiansFieldset({
  guardians,
  onChange,
  errors,
  minorWithout,
}: {
  guardians: GuardianFormValues[];
  onChange: (guardians: GuardianFormValues[]) => void;
  errors: FieldErrors;
  /** The patient is under 18 and nobody is listed. */
  minorWithout: boolean;
}) {
  const lists = useCodeLists();
  const sectionRef = useRef<HTMLFieldSetElement>(null);
  const relationships = RELATIONSHIP_CODES.map((code) => ({ value: code, label: lists.relationships.find((r) => r.code === code)?.label ?? code }));

  const update = (i: number, change: Partial<GuardianFormValues>) => onChange(guardians.map((g, j) => (j === i ? { ...g, ...change } : g)));

  function add() {
    onChange([...guardians, { ...emptyGuardian }]);
    // The new person's first field takes the keyboard.
    setTimeout(() => document.getElementById(`g-${guardians.length}-lastName`)?.focus(), 0);
  }

  function remove(i: number) {
    onChange(guardians.filter((_, j) => j !== i));
    setTimeout(() => sectionRef.current?.querySelector<HTMLElement>('#g-add')?.focus(), 0);
  }

  const err = (i: number, key: string) => errors[`guardians.${i}.${key}`];

  return (
    <fieldset ref={sectionRef} data-testid="guardians">
      <legend>{t('patient.section.guardians')}</legend>
      {minorWithout ? <Notice tone="info">{t('patient.guardian.minorHint')}</Notice> : null}
      {guardians.length === 0 ? <p className="field__hint">{t('patient.guardian.none')}</p> : null}
      {guardians.map((g, i) => {
        const name = `${g.firstName} ${g.lastName}`.trim() || t('patient.guardian.person', { n: i + 1 });
        return (
          <fieldset key={i} aria-label={t('patient.guardian.person', { n: i + 1 })} data-testid={`guardian-${i}`}>
            <div className="grid">
              <TextField id={`g-${i}-lastName`} label={t('patient.guardian.lastName')} value={g.lastName} onValue={(v) => update(i, { lastName: v })} error={err(i, 'lastName')} required autoComplete="off" />
              <TextField id={`g-${i}-firstName`} label={t('patient.guardian.firstName')} value={g.firstName} onValue={(v) => update(i, { firstName: v })} error={err(i, 'firstName')} required autoComplete="off" />
              <SelectField
                id={`g-${i}-relationship`}
                label={t('patient.guardian.relationship')}
                value={g.relationship}
                onValue={(v) => update(i, { relationship: v })}
                options={relationships}
                placeholder={t('form.choose')}
                error={err(i, 'relationship')}
                required
              />
              <TextField id={`g-${i}-phone`} type="tel" label={t('patient.guardian.phone')} value={g.phone} onValue={(v) => update(i, { phone: v })} error={err(i, 'phone')} autoComplete="off" />
            </div>
            <button type="button" className="btn btn--danger" onClick={() => remove(i)}>
              {t('patient.guardian.remove', { name })}
            </button>
          </fieldset>
        );
      })}
      <div className="btn-row">
        <button id="g-add" type="button" className="btn" onClick={add} disabled={guardians.length >= MAX_GUARDIANS}>
          {t('patient.guardian.add')}
        </button>
        {guardians.length >= MAX_GUARDIANS ? <span className="field__hint">{t('patient.guardian.max', { count: MAX_GUARDIANS })}</span> : null}
      </div>
    </fieldset>
  );
}
