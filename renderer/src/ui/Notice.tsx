import { type ReactNode } from 'react';

// Messages that are not tied to one field. `polite` notices (saved, scanned) are status
// updates; errors and warnings interrupt (role=alert).

export type Tone = 'info' | 'success' | 'warning' | 'error';

export function Notice({ tone, children, id, testId }: { tone: Tone; children: ReactNode; id?: string; testId?: string }) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div id={id} className={`notice notice--${tone}`} role={role} data-testid={testId}>
      {children}
    </div>
  );
}
