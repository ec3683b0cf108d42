import { useEffect, useState } from 'react';
import type { SettingsView } from '../../../electron/api';
import { t, type MessageKey } from '../../i18n';
import { api, run } from '../api';

// What a new site must set up before its first real dose, in the order it is usually done:
// the site's name and address (sent to MIIS with every dose), its Vaccine PIN, the clinicians
// whose names go on doses, staff accounts, the lots in the fridge, and MIIS credentials (or,
// until then, practice in training mode). The first administrator sees it on the home screen
// until it is done or hidden; Settings always shows it.

export const SETUP_STEPS = ['site', 'pin', 'clinicians', 'users', 'lots', 'registry'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export interface SetupFacts {
  siteName: string;
  siteAddress: { street1: string; city: string; zip: string };
  vaccinePin: string;
  activeClinicians: number;
  /** Active accounts besides the administrator looking at the list. */
  otherUsers: number;
  activeLots: number;
  credentialsStored: boolean;
  training: boolean;
}

export type StepState = 'done' | 'todo' | 'training';

export function setupState(f: SetupFacts): Record<SetupStep, StepState> {
  const filled = (s: string) => s.trim() !== '';
  return {
    site: filled(f.siteName) && filled(f.siteAddress.street1) && filled(f.siteAddress.city) && filled(f.siteAddress.zip) ? 'done' : 'todo',
    pin: filled(f.vaccinePin) ? 'done' : 'todo',
    clinicians: f.activeClinicians > 0 ? 'done' : 'todo',
    users: f.otherUsers > 0 ? 'done' : 'todo',
    lots: f.activeLots > 0 ? 'done' : 'todo',
    // Practising first is a fine way to start; the step is left only when production lacks credentials.
    registry: f.credentialsStored ? 'done' : f.training ? 'training' : 'todo',
  };
}

export function setupComplete(state: Record<SetupStep, StepState>): boolean {
  return SETUP_STEPS.every((s) => state[s] !== 'todo');
}

async function readFacts(): Promise<SetupFacts | undefined> {
  const [settings, clinicians, users, lots] = await Promise.all([
    run(api().settings.get({})),
    run(api().clinicians.list({})),
    run(api().users.list({})),
    run(api().lots.list({})),
  ]);
  if (!settings.ok) return undefined;
  const v: SettingsView['values'] = settings.value.values;
  const activeUsers = users.ok ? users.value.filter((u) => u.active).length : 0;
  return {
    siteName: v['site.name'] ?? '',
    siteAddress: { street1: v['site.street1'] ?? '', city: v['site.city'] ?? '', zip: v['site.zip'] ?? '' },
    vaccinePin: v['registry.vaccinePin'] ?? '',
    activeClinicians: clinicians.ok ? clinicians.value.filter((c) => c.active).length : 0,
    otherUsers: Math.max(0, activeUsers - 1),
    activeLots: lots.ok ? lots.value.filter((l) => l.active).length : 0,
    credentialsStored: settings.value.credentials.stored,
    training: settings.value.mode === 'training',
  };
}

const HIDDEN_KEY = 'dosedesk.setupChecklistHidden';

function hiddenOnHome(): boolean {
  try {
    return localStorage.getItem(HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

export function SetupChecklist({ placement, refreshKey = 0, onOpen }: { placement: 'home' | 'settings'; refreshKey?: number; onOpen: (step: SetupStep) => void }) {
  const [facts, setFacts] = useState<SetupFacts>();
  const [hidden, setHidden] = useState(() => placement === 'home' && hiddenOnHome());

  useEffect(() => {
    let alive = true;
    void readFacts().then((f) => alive && setFacts(f));
    return () => {
      alive = false;
    };
  }, [refreshKey]);

  if (!facts || hidden) return null;
  const state = setupState(facts);
  const complete = setupComplete(state);
  if (placement === 'home' && complete) return null;

  function hide() {
    try {
      localStorage.setItem(HIDDEN_KEY, '1');
    } catch {
      // storage unavailable: hidden for this session only
    }
    setHidden(true);
  }

  return (
    <section className="card setup-checklist" aria-labelledby={`setup-title-${placement}`} data-testid={`setup-checklist-${placement}`}>
      <h2 id={`setup-title-${placement}`}>{complete ? t('setup.titleDone') : t('setup.title')}</h2>
      {complete ? null : <p>{t('setup.intro')}</p>}
      <ol className="setup-steps">
        {SETUP_STEPS.map((step) => (
          <li key={step} data-step={step} data-state={state[step]}>
            <span className={`badge badge--${state[step] === 'todo' ? 'warning' : 'accepted'}`}>{t(`setup.state.${state[step]}` as MessageKey)}</span>{' '}
            {t(`setup.step.${step}` as MessageKey)}{' '}
            {state[step] === 'done' ? null : (
              <button type="button" className="btn" onClick={() => onOpen(step)} aria-label={t('setup.go', { step: t(`setup.step.${step}` as MessageKey) })}>
                {t('setup.goShort')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {placement === 'home' ? (
        <button type="button" className="btn" onClick={hide}>
          {t('setup.hide')}
        </button>
      ) : null}
    </section>
  );
}

/** Where each step is done: the field that takes the keyboard when the step is opened. */
export const SETUP_FIELD: Record<SetupStep, string> = {
  site: 'set-site-name',
  pin: 'set-pin',
  clinicians: 'cl-first',
  users: 'us-name',
  lots: 'dose-vaccine',
  registry: 'set-cred-user',
};
