import { useEffect, useState } from 'react';
import type { AtRiskDose, AtRiskPage } from '../../../electron/api/deadlines';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { deadlineUrgency } from '../../../electron/domain/deadline';
import { t } from '../../i18n';
import { api, formatDateTime, run } from '../api';
import { WARN_HOURS } from './deadline-hours';

// The doses behind a deadline warning, by name, each with a way to it: a rejected dose opens
// its fix, a waiting one its chart. Loaded when mounted, which is when a person asked (names
// are an audited read).

export type OpenDose = (patientId: string, doseId: string, state: AtRiskDose['state']) => void;

export function vaccineLabel(code: string | undefined): string {
  return code ? (cvxInfo(code)?.shortName ?? t('code.cvx', { code })) : '';
}

export function useAtRisk(withinHours = WARN_HOURS): { page?: AtRiskPage; error?: string } {
  const [state, setState] = useState<{ page?: AtRiskPage; error?: string }>({});
  useEffect(() => {
    let alive = true;
    void run(api().sync.deadlines({ withinHours })).then((r) => {
      if (alive) setState(r.ok ? { page: r.value } : { error: r.error.message });
    });
    return () => {
      alive = false;
    };
  }, [withinHours]);
  return state;
}

export function AtRiskList({ items, total, now, onOpen }: { items: readonly AtRiskDose[]; total: number; now: Date; onOpen: OpenDose }) {
  return (
    <>
      <ul className="at-risk" data-testid="at-risk">
        {items.map((d) => {
          const overdue = deadlineUrgency(new Date(d.deadlineAt), now, WARN_HOURS) === 'overdue';
          const what = t(overdue ? 'deadline.item.overdue' : 'deadline.item.soon', {
            patient: d.patientName ?? t('queue.unknownPatient'),
            vaccine: vaccineLabel(d.cvx),
            date: d.administeredOn ?? '',
            time: formatDateTime(d.deadlineAt),
          });
          return (
            <li key={d.seq} data-dose-id={d.doseId} data-state={d.state} data-urgency={overdue ? 'overdue' : 'soon'}>
              {what} {d.state === 'rejected' ? <strong>{t('deadline.item.rejected')}</strong> : null}{' '}
              <button type="button" className="btn" onClick={() => onOpen(d.patientId, d.doseId, d.state)}>
                {d.state === 'rejected' ? t('queue.fix') : t('queue.open')}
              </button>
            </li>
          );
        })}
      </ul>
      {total > items.length ? <p className="field__hint">{t('deadline.more', { count: total - items.length })}</p> : null}
    </>
  );
}
