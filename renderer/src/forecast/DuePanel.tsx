import type { DueItemView, ForecastBecause, Lot, PatientForecast } from '../../../electron/api';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { t, type MessageKey } from '../../i18n';
import { Notice } from '../ui/Notice';
import { doseWording, groupName, vaccineChoices, whenWording, type Wording } from './due-wording';

// The chart's "Due" panel: what is overdue, due today and due soon on the CDC schedule, with
// the recommended and past-due dates and the vaccines that may be given. Groups with nothing
// due (complete, immune, aged out, later) fold away under a summary line.

type Bucket = 'overdue' | 'today' | 'soon';

function vaccineName(code: string, fallback: string): string {
  return cvxInfo(code)?.shortName ?? fallback;
}

/** The chart's conditions behind a status, each with the day it began or was recorded. */
export function becauseText(items: readonly ForecastBecause[]): string {
  return items.map((b) => (b.since ? t('due.reasonSince', { title: b.title, date: b.since }) : b.title)).join('; ');
}

function say(w: Wording): string {
  return t(w.key, w.params);
}

/** Whole years from `dob` to `on` (both YYYY-MM-DD). */
function ageYears(dob: string | undefined, on: string): number | undefined {
  if (!dob) return undefined;
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function DuePanel({
  forecast,
  error,
  onGive,
  dob,
  stock = [],
}: {
  forecast?: PatientForecast;
  error?: string;
  /** The patient's date of birth: an adult's doses are worded as a nurse counts them. */
  dob?: string;
  /** The clinic's lots: a vaccine in the fridge is listed, and given, first. */
  stock?: readonly Lot[];
  /** Starts a dose for a due group (with its first vaccine), when the user may record doses. */
  onGive?: (cvx: string) => void;
}) {
  if (error) {
    return (
      <section className="card" aria-labelledby="due-title">
        <h2 id="due-title">{t('due.title')}</h2>
        <Notice tone="warning">{t('due.failed', { message: error })}</Notice>
      </section>
    );
  }
  if (!forecast) {
    return (
      <section className="card" aria-labelledby="due-title" aria-busy="true">
        <h2 id="due-title">{t('due.title')}</h2>
        <p>{t('due.loading')}</p>
      </section>
    );
  }
  const age = ageYears(dob, forecast.assessmentDate);
  const rows: [Bucket, DueItemView][] = [
    ...forecast.overdue.map((i): [Bucket, DueItemView] => ['overdue', i]),
    ...forecast.dueToday.map((i): [Bucket, DueItemView] => ['today', i]),
    ...forecast.dueSoon.map((i): [Bucket, DueItemView] => ['soon', i]),
  ];
  // A contraindication is stated, not folded away: the nurse must see it before giving anything.
  const contraindicated = forecast.notDue.filter((n) => n.status === 'contraindicated' && n.because?.length);
  return (
    <section className="card due-panel" aria-labelledby="due-title" data-testid="due-panel">
      <div className="chart-head">
        <h2 id="due-title">{t('due.title')}</h2>
        <span className="chart-head__meta">
          {t('due.summary', { overdue: forecast.overdue.length, today: forecast.dueToday.length, soon: forecast.dueSoon.length })}
          {' · '}
          {t('due.asOf', { date: forecast.assessmentDate, version: forecast.dataVersion })}
        </span>
      </div>
      {rows.length === 0 ? (
        <p>{t('due.nothing')}</p>
      ) : (
        <table data-testid="due-list">
          <thead>
            <tr>
              <th scope="col">{t('due.col.when')}</th>
              <th scope="col">{t('due.col.group')}</th>
              <th scope="col">{t('due.col.dose')}</th>
              <th scope="col">{t('due.col.recommended')}</th>
              <th scope="col">{t('due.col.pastDue')}</th>
              <th scope="col">{t('due.col.vaccines')}</th>
              {onGive ? <th scope="col">{t('chart.col.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map(([bucket, item]) => {
              const choices = vaccineChoices(item, stock, forecast.assessmentDate);
              const give = choices[0]?.cvx;
              const name = groupName(item.vaccineGroup, age);
              const dose = doseWording(item, age);
              return (
                <tr key={item.vaccineGroup} data-bucket={bucket} data-group={item.vaccineGroup}>
                  <td>
                    <span className={`badge badge--due-${bucket}`}>{say(whenWording(bucket, item))}</span>
                    {!item.canGiveToday && item.earliest ? <p className="field__hint">{t('due.notBefore', { date: item.earliest })}</p> : null}
                  </td>
                  <th scope="row">
                    {name}
                    {item.because?.length ? (
                      <p className="field__hint" data-testid="due-because">
                        {t('due.because', { reasons: becauseText(item.because) })}
                      </p>
                    ) : null}
                  </th>
                  <td>{dose ? say(dose) : '—'}</td>
                  <td className="nowrap">{item.recommended ?? item.earliest ?? '—'}</td>
                  <td className="nowrap">{item.pastDue ?? '—'}</td>
                  <td>
                    {choices.length === 0
                      ? '—'
                      : choices.map((c, i) => (
                          <span key={c.cvx}>
                            {i > 0 ? ', ' : ''}
                            {vaccineName(c.cvx, item.vaccines.find((v) => v.cvx === c.cvx)?.name ?? c.cvx)}
                            {c.inStock ? <strong className="due-stock"> {t('due.inStock')}</strong> : null}
                          </span>
                        ))}
                  </td>
                  {onGive ? (
                    <td>
                      {item.canGiveToday && give ? (
                        <button type="button" className="btn" onClick={() => onGive(give)}>
                          {t('due.give', { group: name })}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {forecast.notCounted.length > 0 ? (
        <Notice tone="warning">
          {t('due.notCounted')}
          <ul>
            {forecast.notCounted.map((d, i) => (
              <li key={`${d.doseId ?? i}-${d.vaccineGroup}`}>
                {t('due.notCountedItem', { vaccine: vaccineName(d.cvx, d.cvx), date: d.date, group: d.vaccineGroup, reason: d.reason })}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {contraindicated.length > 0 ? (
        <Notice tone="warning">
          <ul className="due-contraindicated" data-testid="due-contraindicated">
            {contraindicated.map((n) => (
              <li key={n.vaccineGroup}>
                <strong>{groupName(n.vaccineGroup, age)}</strong>: {t('due.contraindicatedBecause', { reasons: becauseText(n.because ?? []) })}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {forecast.notDue.length > 0 ? (
        <details>
          <summary>{t('due.notDue', { count: forecast.notDue.length })}</summary>
          <ul className="due-later" data-testid="not-due">
            {forecast.notDue.map((n) => (
              <li key={n.vaccineGroup}>
                <strong>{n.vaccineGroup}</strong>: {n.recommended ? t('due.nextOn', { date: n.recommended }) : t(`due.status.${n.status}` as MessageKey)}
                {n.because?.length ? (
                  <span data-testid="due-because">
                    {' — '}
                    {t(n.status === 'contraindicated' ? 'due.contraindicatedBecause' : 'due.because', { reasons: becauseText(n.because) })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
