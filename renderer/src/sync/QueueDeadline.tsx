import type { WorkQueueItem } from '../../../electron/api';
import { deadlineUrgency } from '../../../electron/domain/deadline';
import { t } from '../../i18n';
import { formatDateTime } from '../api';
import { WARN_HOURS } from './deadline-hours';

// The legal clock of one queue item (105 CMR 222.100): it runs until MIIS accepts the dose, so
// a rejection shows how long is left, in words, and says so loudly once under a day or past.

export function QueueDeadline({ item, now }: { item: WorkQueueItem; now: Date }) {
  if (item.state !== 'rejected') return <span className="field__hint">{t('queue.acceptedNoDeadline')}</span>;
  if (!item.deadlineAt) return <span className="field__hint">{t('queue.noDeadline')}</span>;
  const time = formatDateTime(item.deadlineAt);
  const urgency = deadlineUrgency(new Date(item.deadlineAt), now, WARN_HOURS);
  if (urgency === 'overdue') {
    return (
      <strong className="badge badge--rejected" data-testid="queue-deadline" data-urgency={urgency}>
        {t('queue.deadlinePassed', { time })}
      </strong>
    );
  }
  if (urgency === 'soon') {
    return (
      <strong className="badge badge--warning" data-testid="queue-deadline" data-urgency={urgency}>
        {t('queue.deadlineSoon', { time })}
      </strong>
    );
  }
  return (
    <span data-testid="queue-deadline" data-urgency={urgency}>
      {t('queue.reportBy', { time })}
    </span>
  );
}
