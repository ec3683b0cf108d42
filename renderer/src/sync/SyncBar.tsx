import { deadlineUrgency } from '../../../electron/domain/deadline';
import { t } from '../../i18n';
import { formatDateTime } from '../api';
import { Notice } from '../ui/Notice';
import { backlogOf, useSync } from './SyncContext';
import { engineText } from './engine-text';
import type { OpenDose } from './AtRiskDoses';
import { WARN_HOURS } from './deadline-hours';
import { DeadlineWarning } from './DeadlineWarning';
import { useNow } from './useNow';

// Always on screen: is the registry reachable, how many doses wait, when the last one was
// accepted, how far a backlog has drained, and a warning a day before any legal deadline. The
// 72-hour clock runs until MIIS accepts the dose, so a rejected dose waiting for a fix warns
// too, even with nothing left to send.

export { WARN_HOURS };

export function SyncBar({ onOpenDose = () => undefined }: { onOpenDose?: OpenDose } = {}) {
  const { status, backlogPeak, retryNow } = useSync();
  const now = useNow(30_000);
  if (!status) return <div className="syncbar" role="region" aria-label={t('sync.region')} />;

  const backlog = backlogOf(status);
  const stateInfo = {
    idle: { text: t('sync.online'), cls: 'online' },
    sending: { text: t('sync.sending'), cls: 'online' },
    waiting_for_network: { text: t('sync.offline'), cls: 'offline' },
    needs_attention: { text: t('sync.needsAttention'), cls: 'attention' },
    stopped: { text: t('sync.stopped'), cls: 'attention' },
  }[status.state];
  const deadline = status.nextDeadlineAt ? new Date(status.nextDeadlineAt) : undefined;
  const urgency = deadline ? deadlineUrgency(deadline, now, WARN_HOURS) : 'ok';
  // With nothing waiting to be sent, the dose behind the deadline is one the registry rejected.
  const onlyRejected = backlog === 0 && status.rejected > 0;
  const draining = backlog > 0 && backlogPeak > 1;

  return (
    <div className="syncbar" role="region" aria-label={t('sync.region')} data-testid="syncbar">
      <span className={`syncbar__state syncbar__state--${stateInfo.cls}`} data-testid="sync-state" data-state={status.state}>
        {stateInfo.text}
      </span>
      <span data-testid="sync-waiting">{backlog > 0 ? t('sync.waiting', { count: backlog }) : t('sync.noneWaiting')}</span>
      <span>{status.lastAcceptedAt ? t('sync.lastAccepted', { time: formatDateTime(status.lastAcceptedAt) }) : t('sync.neverAccepted')}</span>
      {status.rejected > 0 ? <span className="badge badge--rejected">{t('sync.rejected', { count: status.rejected })}</span> : null}
      {draining ? (
        <span>
          <progress max={backlogPeak} value={backlogPeak - backlog} aria-label={t('sync.progress')} />{' '}
          {t('sync.progressText', { done: backlogPeak - backlog, total: backlogPeak })}
        </span>
      ) : null}
      {status.nextAttemptAt && status.state === 'waiting_for_network' ? <span>{t('sync.nextAttempt', { time: formatDateTime(status.nextAttemptAt) })}</span> : null}
      {backlog > 0 && status.state !== 'sending' ? (
        <button type="button" className="btn" onClick={() => void retryNow()}>
          {t('sync.retryNow')}
        </button>
      ) : null}
      {urgency !== 'ok' && deadline ? <DeadlineWarning urgency={urgency} deadline={deadline} onlyRejected={onlyRejected} helpDesk={status.helpDesk} onOpen={onOpenDose} /> : null}
      {status.problem ? <Notice tone="error">{engineText(status.problem)}</Notice> : null}
    </div>
  );
}
