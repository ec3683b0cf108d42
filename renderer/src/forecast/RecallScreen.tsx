import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { RecallListView } from '../../../electron/api';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, normalizeDateInput, run, type FieldErrors } from '../api';
import { Notice } from '../ui/Notice';
import { SelectField, TextField } from '../ui/Field';

// Reminder/recall: every patient overdue for a vaccine group on the CDC schedule, by age band,
// built over the whole store by the main process. The list opens once with every group; the
// filters narrow it. A name opens the chart to record the dose.

const LIMIT = 500;

const BAND_KEYS: Record<string, MessageKey> = {
  '0-23 months': 'recall.band.0-23 months',
  '2-6 years': 'recall.band.2-6 years',
  '7-18 years': 'recall.band.7-18 years',
  '19-64 years': 'recall.band.19-64 years',
  '65+ years': 'recall.band.65+ years',
};

/** The age band in the user's language (the main process names bands in English). */
export function bandLabel(band: string): string {
  const key = BAND_KEYS[band];
  return key ? t(key) : band;
}

export function RecallScreen({ onOpen }: { onOpen: (patientId: string) => void }) {
  const [group, setGroup] = useState('');
  const [band, setBand] = useState('');
  const [date, setDate] = useState('');
  const [condition, setCondition] = useState('');
  const [conditions, setConditions] = useState<{ value: string; label: string }[]>([]);
  const [list, setList] = useState<RecallListView>();
  const [options, setOptions] = useState<{ groups: string[]; bands: string[] }>({ groups: [], bands: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const runId = useRef(0);

  const build = useCallback(async (filters: { vaccineGroup?: string; ageBand?: string; condition?: string; assessmentDate?: string }) => {
    const mine = ++runId.current;
    setBusy(true);
    setError(undefined);
    setErrors({});
    const r = await run(api().forecast.recallList({ ...filters, limit: LIMIT }));
    if (mine !== runId.current) return;
    setBusy(false);
    if (r.ok) {
      setList(r.value);
      setOptions({ groups: r.value.vaccineGroups, bands: r.value.ageBands });
    } else {
      setError(r.error.message);
      setErrors(fieldErrors(r.error.issues, ''));
    }
  }, []);

  useEffect(() => {
    void build({});
  }, [build]);

  // The conditions that change a forecast ("adults with diabetes overdue for HepB").
  useEffect(() => {
    void run(api().conditions.search({ text: '', limit: 100 })).then((r) => {
      if (r.ok) setConditions(r.value.map((o) => ({ value: o.code, label: o.title })).sort((a, b) => a.label.localeCompare(b.label)));
    });
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const assessmentDate = normalizeDateInput(date);
    void build({
      ...(group ? { vaccineGroup: group } : {}),
      ...(band ? { ageBand: band } : {}),
      ...(condition ? { condition } : {}),
      ...(assessmentDate ? { assessmentDate } : {}),
    });
  }

  const countedGroups = list ? Object.entries(list.counts).filter(([, bands]) => Object.values(bands).some((n) => n > 0)) : [];

  return (
    <section className="card" aria-labelledby="recall-title">
      <h1 id="recall-title">{t('recall.title')}</h1>
      <p>{t('recall.intro')}</p>
      <form className="grid" onSubmit={submit} aria-label={t('recall.title')} data-no-unsaved>
        <SelectField
          id="recall-group"
          label={t('recall.group')}
          value={group}
          onValue={setGroup}
          placeholder={t('recall.allGroups')}
          options={options.groups.map((g) => ({ value: g, label: g }))}
          error={errors.vaccineGroup}
        />
        <SelectField
          id="recall-band"
          label={t('recall.band')}
          value={band}
          onValue={setBand}
          placeholder={t('recall.allBands')}
          options={options.bands.map((b) => ({ value: b, label: bandLabel(b) }))}
          error={errors.ageBand}
        />
        <SelectField
          id="recall-condition"
          label={t('recall.condition')}
          value={condition}
          onValue={setCondition}
          placeholder={t('recall.anyCondition')}
          options={conditions}
          error={errors.condition}
        />
        <TextField
          id="recall-date"
          label={t('recall.date')}
          value={date}
          onValue={setDate}
          placeholder={list?.assessmentDate ?? t('form.datePlaceholder')}
          hint={t('patient.dobHint')}
          error={errors.assessmentDate}
        />
        <div className="btn-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? t('recall.building') : t('recall.build')}
          </button>
        </div>
      </form>

      {error ? <Notice tone="error">{error}</Notice> : null}
      {busy && !list ? <p aria-live="polite">{t('recall.building')}</p> : null}

      {list ? (
        <div aria-busy={busy || undefined} data-testid="recall-result">
          <p className="chart-head__meta" role="status">
            {t('recall.scanned', { count: list.patientsScanned, date: list.assessmentDate })}
          </p>
          {list.skipped.length > 0 ? <Notice tone="warning">{t('recall.skipped', { count: list.skipped.length })}</Notice> : null}
          {countedGroups.length > 0 ? (
            <>
              <h2>{t('recall.counts')}</h2>
              <table data-testid="recall-counts">
                <thead>
                  <tr>
                    <th scope="col">{t('recall.col.group')}</th>
                    {list.ageBands.map((b) => (
                      <th scope="col" key={b}>
                        {bandLabel(b)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {countedGroups.map(([g, bands]) => (
                    <tr key={g}>
                      <th scope="row">{g}</th>
                      {list.ageBands.map((b) => (
                        <td key={b}>{bands[b] ?? 0}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {list.entries.length === 0 ? (
            <p>{t('recall.empty')}</p>
          ) : (
            <>
              <h2>{t('recall.listTitle')}</h2>
              {list.truncated ? <Notice tone="info">{t('recall.truncated', { count: list.entries.length })}</Notice> : null}
              <table data-testid="recall-list">
                <thead>
                  <tr>
                    <th scope="col">{t('recall.col.patient')}</th>
                    <th scope="col">{t('recall.col.dob')}</th>
                    <th scope="col">{t('recall.col.group')}</th>
                    <th scope="col">{t('recall.col.band')}</th>
                    <th scope="col">{t('recall.col.dose')}</th>
                    <th scope="col">{t('recall.col.pastDue')}</th>
                    <th scope="col">{t('recall.col.overdue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.entries.map((e) => (
                    <tr key={`${e.patientId}-${e.vaccineGroup}`} data-patient-id={e.patientId}>
                      <td>
                        <button type="button" className="linkbtn" onClick={() => onOpen(e.patientId)} title={t('recall.open')}>
                          {e.lastName}, {e.firstName}
                        </button>{' '}
                        <span className="field__hint">{t('code.mrn', { mrn: e.mrn })}</span>
                      </td>
                      <td className="nowrap">{e.dob}</td>
                      <td>{e.vaccineGroup}</td>
                      <td>{bandLabel(e.ageBand)}</td>
                      <td>{e.targetDose !== undefined ? t('due.doseNumber', { n: e.targetDose }) : '—'}</td>
                      <td className="nowrap">{e.pastDue}</td>
                      <td>{t('recall.days', { count: e.daysOverdue })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}
