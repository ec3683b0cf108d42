import type { ReportingState } from '../../../electron/domain/dose';
import { t, type MessageKey } from '../../i18n';

// A dose's trip to the registry, in words and a shape, never by colour alone.

const ICON: Record<ReportingState, string> = {
  waiting: '◷',
  sending: '↻',
  accepted: '✓',
  warning: '!',
  rejected: '✕',
  not_reported: '–',
  cancelled: '–',
};

export function StatusBadge({ state }: { state: ReportingState }) {
  return (
    <span className={`badge badge--${state}`} data-state={state}>
      <span aria-hidden="true">{ICON[state]} </span>
      {t(`status.${state}` as MessageKey)}
    </span>
  );
}
