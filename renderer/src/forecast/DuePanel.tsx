import type { DueItemView, PatientForecast } from '../../../electron/api';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { t, type MessageKey } from '../../i18n';
import { Notice } from '../ui/Notice';

// The chart's "Due" panel: what is overdue, due today and due soon on the CDC schedule, with
// the recommended and past-due dates and the vaccines that may be given. Groups with nothing
// due (complete, immune, aged out, later) fold away under a summary line.

type Bucket = 'overdue' | 'today' | 'soon';

function vaccineName(code: string, fallback: string): string {
  return cvxInfo(code)?.shortName ?? fallback;
}

/** The vaccine "Give" starts with: the first of the group's that is still given (active CVX). */
function giveCvx(item: DueItemView): string | undefined {
  return (item.vaccines.find((v) => cvxInfo(v.cvx)?.status === 'Active') ?? item.vaccines[0])?.cvx;
}

function whenLabel(bucket: Bucket, item: DueItemView): string {
  if (bucket === 'overdue') return t('due.overdue', { count: item.daysOverdue ?? 0 });
  return bucket === 'today' ? t('due.today') : t('due.soon');
}

export function DuePanel({
  forecast,
  error,
  onGive,
}: {
  forecast?: PatientForecast;
  error?: string;
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
  const rows: [Bucket, DueItemView][] = [
    ...forecast.overdue.map((i): [Bucket, DueItemView] => ['overdue', i]),
    ...forecast.dueToday.map((i): [Bucket, DueItemView] => ['today', i]),
    ...forecast.dueSoon.map((i): [Bucket, DueItemView] => ['soon', i]),
  ];
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
            {rows.map(([bucket, item]) => (
              <tr key={item.vaccineGroup} data-bucket={bucket} data-group={item.vaccineGroup}>
                <td>
                  <span className={`badge badge--due-${bucket}`}>{whenLabel(bucket, item)}</span>
                  {!item.canGiveToday && item.earliest ? <p className="field__hint">{t('due.notBefore', { date: item.earliest })}</p> : null}
                </td>
                <th scope="row">{item.vaccineGroup}</th>
                <td>{item.targetDose !== undefined ? t('due.doseNumber', { n: item.targetDose }) : '—'}</td>
                <td className="nowrap">{item.recommended ?? item.earliest ?? '—'}</td>
                <td className="nowrap">{item.pastDue ?? '—'}</td>
                <td>{item.vaccines.map((v) => vaccineName(v.cvx, v.name)).join(', ')}</td>
                {onGive ? (
                  <td>
                    {item.canGiveToday && giveCvx(item) ? (
                      <button type="button" className="btn" onClick={() => onGive(giveCvx(item)!)}>
                        {t('due.give', { group: item.vaccineGroup })}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
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
      {forecast.notDue.length > 0 ? (
        <details>
          <summary>{t('due.notDue', { count: forecast.notDue.length })}</summary>
          <ul className="due-later" data-testid="not-due">
            {forecast.notDue.map((n) => (
              <li key={n.vaccineGroup}>
                <strong>{n.vaccineGroup}</strong>: {n.recommended ? t('due.nextOn', { date: n.recommended }) : t(`due.status.${n.status}` as MessageKey)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
