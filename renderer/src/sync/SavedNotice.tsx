import type { DoseWithStatus } from '../../../electron/api';
import { deadlineUrgency } from '../../../electron/domain/deadline';
import { t } from '../../i18n';
import { formatDateTime } from '../api';
import { Notice, type Tone } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';
import { WARN_HOURS } from './deadline-hours';
import { registryMessageText } from './registry-text';

// One banner for the outcome of a Save: what the dose's report is now, and what, if anything,
// the person must do. A deadline shows only while the dose still has to reach MIIS (never on an
// accepted one), and never as a calm "Report by" a date already past (a late entry). A rejection
// is the red banner itself, not a red badge inside a green one.

type Reporting = DoseWithStatus['reporting'];

export function SavedNotice({ reporting, deadline, now, helpDesk }: { reporting?: Reporting | undefined; deadline?: string | undefined; now: Date; helpDesk?: string | undefined }) {
  const state = reporting?.state ?? 'waiting';
  const badge = reporting ? (
    <>
      {' '}
      — <StatusBadge state={reporting.state} />
    </>
  ) : null;
  if (state === 'rejected') {
    const first = reporting?.messages.find((m) => m.severity === 'error') ?? reporting?.messages[0];
    return (
      <Notice tone="error" testId="dose-saved">
        {t('saved.rejected', { reason: first ? registryMessageText(first) : t('saved.rejectedNoReason') })}
      </Notice>
    );
  }
  const toReport = state === 'waiting' || state === 'sending';
  const urgency = toReport && deadline ? deadlineUrgency(new Date(deadline), now, WARN_HOURS) : undefined;
  const tone: Tone = urgency === 'soon' || urgency === 'overdue' ? 'warning' : 'success';
  const time = deadline ? formatDateTime(deadline) : '';
  return (
    <Notice tone={tone} testId="dose-saved">
      {t('status.saved')}
      {badge}
      {urgency === 'ok' ? ` ${t('saved.reportBy', { time })}` : null}
      {urgency === 'soon' ? ` ${t('saved.deadlineSoon', { time })}` : null}
      {urgency === 'overdue' ? ` ${t('saved.deadlinePassed', { time })}` : null}
      {urgency === 'overdue' && helpDesk ? ` ${t('sync.helpDesk', { contact: helpDesk })}` : null}
    </Notice>
  );
}
