import { useCallback, useEffect, useState } from 'react';
import type { ForecastBecause, PatientForecast } from '../../../electron/api';
import type { ObservationOption, PatientObservation } from '../../../electron/api/conditions';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, normalizeDateInput, run, type FieldErrors } from '../api';
import { TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';

// The chart's conditions: the patient's CDSi observations (asplenia, dialysis, pregnancy,
// anaphylaxis to a previous dose…) with their dates, a search to add one from CDC's list, and
// what they change in the forecast ("HepB: due because of Diabetes"). Every change reloads
// the due list through `onChanged`.

function reasons(items: readonly ForecastBecause[]): string {
  return items.map((b) => (b.since ? t('conditions.reasonOn', { title: b.title, date: b.since }) : b.title)).join('; ');
}

/**
 * The forecast lines the patient's conditions explain, for the panel's summary: one line per
 * effect and reason, naming every vaccine group it applies to (one reaction may contraindicate
 * a dozen groups).
 */
export function conditionEffects(forecast: PatientForecast | undefined): { key: string; text: string }[] {
  if (!forecast) return [];
  const lines = new Map<string, { key: MessageKey; reasons: string; groups: string[] }>();
  const add = (key: MessageKey, group: string, because: readonly ForecastBecause[]) => {
    const text = reasons(because);
    const id = `${key}|${text}`;
    const line = lines.get(id);
    if (line) line.groups.push(group);
    else lines.set(id, { key, reasons: text, groups: [group] });
  };
  for (const i of [...forecast.overdue, ...forecast.dueToday, ...forecast.dueSoon]) if (i.because?.length) add('conditions.dueBecause', i.vaccineGroup, i.because);
  for (const n of forecast.notDue) {
    if (!n.because?.length) continue;
    add(n.status === 'contraindicated' ? 'conditions.contraindicated' : n.status === 'complete' ? 'conditions.completeBecause' : 'conditions.laterBecause', n.vaccineGroup, n.because);
  }
  return [...lines].map(([id, l]) => ({ key: id, text: t(l.key, { group: l.groups.join(', '), reasons: l.reasons }) }));
}

function roles(o: ObservationOption): string[] {
  const lines: string[] = [];
  if (o.indicationFor.length) lines.push(t('conditions.opens', { groups: o.indicationFor.join(', ') }));
  if (o.contraindicates.length) lines.push(t('conditions.contraindicates', { groups: o.contraindicates.join(', ') }));
  if (o.immunityFor.length) lines.push(t('conditions.immunity', { groups: o.immunityFor.join(', ') }));
  return lines;
}

export function ConditionsPanel({
  patientId,
  canEdit,
  forecast,
  onChanged,
}: {
  patientId: string;
  /** Recording and removing conditions is for clinicians and administrators. */
  canEdit: boolean;
  forecast?: PatientForecast;
  onChanged: () => void;
}) {
  const [list, setList] = useState<PatientObservation[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string>();

  const load = useCallback(async () => {
    const r = await run(api().conditions.listForPatient({ patientId }));
    if (r.ok) setList(r.value);
    else setError(r.error.message);
  }, [patientId]);

  useEffect(() => {
    void load();
  }, [load]);

  function changed(message: string) {
    setNotice(message);
    setAdding(false);
    setRemoving(undefined);
    void load();
    onChanged();
  }

  const effects = conditionEffects(forecast);
  return (
    <section className="card" aria-labelledby="conditions-title" data-testid="conditions-panel">
      <div className="chart-head">
        <h2 id="conditions-title">{t('conditions.title')}</h2>
        <span className="chart-head__meta">{t('conditions.intro')}</span>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {notice ? (
        <Notice tone="success" testId="conditions-notice">
          {notice}
        </Notice>
      ) : null}
      {list === undefined ? (
        <p>{t('app.loading')}</p>
      ) : list.length === 0 ? (
        <p>{t('conditions.none')}</p>
      ) : (
        <ul className="conditions-list" data-testid="conditions-list">
          {list.map((o) => (
            <li key={o.id} data-code={o.code}>
              <strong>{o.title}</strong> <span className="field__hint">{t('conditions.code', { code: o.code })}</span>
              {o.startDate ? ` · ${t('conditions.since', { date: o.startDate })}` : null}
              {o.endDate ? ` · ${t('conditions.until', { date: o.endDate })}` : null}
              {o.source === 'registry' ? ` · ${t('conditions.fromRegistry')}` : null}
              {o.note ? <p className="field__hint">{o.note}</p> : null}
              {canEdit && removing !== o.id ? (
                <>
                  {' '}
                  <EndCondition observation={o} onDone={() => changed(t('conditions.saved'))} />{' '}
                  <button type="button" className="btn btn--danger" onClick={() => setRemoving(o.id)} aria-label={t('conditions.removeLabel', { title: o.title })}>
                    {t('conditions.remove')}
                  </button>
                </>
              ) : null}
              {removing === o.id ? <RemoveCondition observation={o} onDone={() => changed(t('conditions.removed'))} onCancel={() => setRemoving(undefined)} /> : null}
            </li>
          ))}
        </ul>
      )}
      {effects.length > 0 ? (
        <div data-testid="conditions-effects">
          <h3>{t('conditions.effects')}</h3>
          <ul>
            {effects.map((e) => (
              <li key={e.key}>{e.text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {canEdit ? (
        adding ? (
          <AddCondition patientId={patientId} onDone={() => changed(t('conditions.saved'))} onCancel={() => setAdding(false)} />
        ) : (
          <div className="btn-row">
            <button
              type="button"
              className="btn"
              onClick={() => {
                setNotice(undefined);
                setAdding(true);
              }}
            >
              {t('conditions.add')}
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}

function AddCondition({ patientId, onDone, onCancel }: { patientId: string; onDone: () => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<ObservationOption[]>([]);
  const [picked, setPicked] = useState<ObservationOption>();
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    const timer = setTimeout(() => {
      void run(api().conditions.search({ text, limit: 12 })).then((r) => {
        if (alive && r.ok) setOptions(r.value);
      });
    }, 150);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [text]);

  async function save() {
    if (!picked) return;
    setBusy(true);
    setFailure(undefined);
    const observation = {
      code: picked.code,
      ...(startDate.trim() ? { startDate: normalizeDateInput(startDate) } : {}),
      ...(endDate.trim() ? { endDate: normalizeDateInput(endDate) } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const r = await run(api().conditions.record({ patientId, observation }));
    setBusy(false);
    if (r.ok) return onDone();
    setErrors(fieldErrors(r.error.issues, 'observation'));
    if (!r.error.issues?.length) setFailure(r.error.message);
  }

  return (
    <form
      className="conditions-add"
      data-testid="conditions-add"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {picked ? (
        <>
          <p>
            <strong>{picked.title}</strong> <span className="field__hint">{t('conditions.code', { code: picked.code })}</span>
          </p>
          {roles(picked).map((line) => (
            <p key={line} className="field__hint">
              {line}
            </p>
          ))}
          {picked.clarifying ? <p className="field__hint">{picked.clarifying}</p> : null}
          {errors.code ? <Notice tone="error">{errors.code}</Notice> : null}
          <TextField
            id="condition-start"
            label={t('conditions.startDate')}
            hint={picked.needsDate ? t('conditions.needsDate') : t('conditions.dateHint')}
            required={picked.needsDate}
            value={startDate}
            onValue={setStartDate}
            error={errors.startDate}
            autoFocus
          />
          <TextField id="condition-end" label={t('conditions.endDate')} hint={t('conditions.dateHint')} value={endDate} onValue={setEndDate} error={errors.endDate} />
          <TextField id="condition-note" label={t('conditions.note')} value={note} onValue={setNote} error={errors.note} maxLength={200} />
          {failure ? <Notice tone="error">{failure}</Notice> : null}
          <div className="btn-row">
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {t('conditions.save')}
            </button>
            <button type="button" className="btn" onClick={() => setPicked(undefined)}>
              {t('conditions.back')}
            </button>
            <button type="button" className="btn" onClick={onCancel}>
              {t('conditions.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <TextField id="condition-search" label={t('conditions.search')} hint={t('conditions.searchHint')} value={text} onValue={setText} autoFocus autoComplete="off" />
          {options.length === 0 && text.trim() ? <p>{t('conditions.noMatch', { text: text.trim() })}</p> : null}
          <ul className="conditions-options" data-testid="conditions-options">
            {options.map((o) => (
              <li key={o.code}>
                <button type="button" className="btn" data-code={o.code} onClick={() => setPicked(o)} aria-label={t('conditions.pickLabel', { title: o.title })}>
                  {t('conditions.pick')}
                </button>{' '}
                <strong>{o.title}</strong> <span className="field__hint">{t('conditions.code', { code: o.code })}</span>
                {roles(o).length > 0 ? <span className="field__hint"> — {roles(o).join(' · ')}</span> : null}
              </li>
            ))}
          </ul>
          <div className="btn-row">
            <button type="button" className="btn" onClick={onCancel}>
              {t('conditions.cancel')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

function EndCondition({ observation, onDone }: { observation: PatientObservation; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [endDate, setEndDate] = useState(observation.endDate ?? '');
  const [error, setError] = useState<string>();
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-label={t('conditions.endLabel', { title: observation.title })}>
        {t('conditions.end')}
      </button>
    );
  }
  async function save() {
    const input = {
      code: observation.code,
      ...(observation.startDate ? { startDate: observation.startDate } : {}),
      ...(endDate.trim() ? { endDate: normalizeDateInput(endDate) } : {}),
      ...(observation.note ? { note: observation.note } : {}),
    };
    const r = await run(api().conditions.update({ id: observation.id, observation: input, expectedVersion: observation.version }));
    if (r.ok) return onDone();
    setError(fieldErrors(r.error.issues, 'observation').endDate ?? r.error.message);
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <TextField id={`condition-end-${observation.id}`} label={t('conditions.endDate')} hint={t('conditions.dateHint')} value={endDate} onValue={setEndDate} error={error} autoFocus />
      <button type="submit" className="btn btn--primary">
        {t('conditions.endSave')}
      </button>{' '}
      <button type="button" className="btn" onClick={() => setOpen(false)}>
        {t('conditions.cancel')}
      </button>
    </form>
  );
}

function RemoveCondition({ observation, onDone, onCancel }: { observation: PatientObservation; onDone: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  async function remove() {
    const r = await run(api().conditions.remove({ id: observation.id, reason }));
    if (r.ok) return onDone();
    setError(r.error.issues?.[0]?.message ?? r.error.message);
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void remove();
      }}
    >
      <TextField id={`condition-remove-${observation.id}`} label={t('conditions.removeReason')} value={reason} onValue={setReason} error={error} required autoFocus maxLength={500} />
      <button type="submit" className="btn btn--danger">
        {t('conditions.removeConfirm')}
      </button>{' '}
      <button type="button" className="btn" onClick={onCancel}>
        {t('conditions.cancel')}
      </button>
    </form>
  );
}
