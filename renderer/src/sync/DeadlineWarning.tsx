import { useState } from 'react';
import type { DeadlineUrgency } from '../../../electron/domain/deadline';
import { t } from '../../i18n';
import { formatDateTime } from '../api';
import { Notice } from '../ui/Notice';
import { AtRiskList, useAtRisk, type OpenDose } from './AtRiskDoses';
import { useNow } from './useNow';

// The 72-hour warning (105 CMR 222.100) as something to act on: which doses, whose, and a way
// to each; and who to call about the registry. The names are read only when asked for.

export function DeadlineWarning({
  urgency,
  deadline,
  onlyRejected,
  helpDesk,
  onOpen,
}: {
  urgency: Exclude<DeadlineUrgency, 'ok'>;
  deadline: Date;
  onlyRejected: boolean;
  helpDesk?: string | undefined;
  onOpen: OpenDose;
}) {
  const [open, setOpen] = useState(false);
  const time = formatDateTime(deadline.toISOString());
  const key =
    urgency === 'overdue' ? (onlyRejected ? 'sync.deadlineOverdueRejected' : 'sync.deadlineOverdue') : onlyRejected ? 'sync.deadlineSoonRejected' : 'sync.deadlineSoon';
  return (
    <Notice tone={urgency === 'overdue' ? 'error' : 'warning'} testId="deadline-warning">
      {t(key, { time })}
      {helpDesk ? <> {t('sync.helpDesk', { contact: helpDesk })}</> : null}{' '}
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? t('deadline.hide') : t('deadline.which')}
      </button>
      {open ? (
        <AtRiskDoses
          onOpen={(patientId, doseId, state) => {
            setOpen(false);
            onOpen(patientId, doseId, state);
          }}
        />
      ) : null}
    </Notice>
  );
}

function AtRiskDoses({ onOpen }: { onOpen: OpenDose }) {
  const { page, error } = useAtRisk();
  const now = useNow(30_000);
  if (error) return <p>{error}</p>;
  if (!page) return <p>{t('app.loading')}</p>;
  if (page.items.length === 0) return <p>{t('deadline.noneNow')}</p>;
  return <AtRiskList items={page.items} total={page.total} now={now} onOpen={onOpen} />;
}
