import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AppInfo, AuthStatus } from '../../../electron/api';
import type { Patient } from '../../../electron/domain/patient';
import { getLocale, initialLocale, LOCALES, setLocale, t, type Locale } from '../../i18n';
import { api, onSessionProblem, onStoreDamage, run } from '../api';
import { FirstRunScreen, SignInScreen, UnlockScreen } from '../auth/AuthScreens';
import { useActivityTouch } from '../auth/useActivityTouch';
import { RecallScreen } from '../forecast/RecallScreen';
import { ReportsScreen } from '../reports/ReportsScreen';
import { LotsScreen } from '../lots/LotsScreen';
import { PatientChart, type DoseMode } from '../patients/PatientChart';
import { PatientForm } from '../patients/PatientForm';
import { PatientSearch } from '../patients/PatientSearch';
import { SettingsScreen } from '../settings/SettingsScreen';
import { SETUP_FIELD, SetupChecklist, type SetupStep } from '../settings/SetupChecklist';
import { SyncBar } from '../sync/SyncBar';
import { SyncProvider } from '../sync/SyncContext';
import { WorkQueue } from '../sync/WorkQueue';
import { Notice } from '../ui/Notice';
import { CodeListsProvider } from './CodeLists';
import { DamageScreen } from './DamageScreen';
import { mayDiscard, trackUserInput } from './unsaved-input';
import { useScreenFocus } from './useScreenFocus';

// The app shell: which screen (first run, sign in, unlock, or the clinic workspace), the
// training banner, the always-visible sync bar, navigation and the global shortcuts.

export type View =
  | { name: 'search' }
  | { name: 'register' }
  | { name: 'chart'; patientId: string; dose?: DoseMode }
  | { name: 'editPatient'; patient: Patient }
  | { name: 'workQueue' }
  | { name: 'recall' }
  | { name: 'reports' }
  | { name: 'lots' }
  | { name: 'settings'; focus?: string };

const LOCALE_KEY = 'dosedesk.locale';

/** Screen readers pick their voice from the page's `lang`: it follows the chosen language. */
function applyLocale(locale: Locale): void {
  setLocale(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

export function App() {
  const [info, setInfo] = useState<AppInfo>();
  const [status, setStatus] = useState<AuthStatus>();
  const [failure, setFailure] = useState<string>();
  const [damage, setDamage] = useState<string>();
  const [, setLocaleTick] = useState(getLocale());

  const reload = useCallback(async () => {
    const r = await run(api().auth.status({}));
    if (r.ok) setStatus(r.value);
    else setFailure(r.error.message);
  }, []);

  useEffect(() => {
    void run(api().app.info({})).then((r) => r.ok && setInfo(r.value));
    void reload();
    const offSession = api().onSessionChange(() => void reload());
    const offProblem = onSessionProblem(() => void reload());
    // Once damaged, always damaged for this run: main refuses every call from then on.
    const offDamage = onStoreDamage((error) => setDamage((seen) => seen ?? error.message));
    return () => {
      offSession();
      offProblem();
      offDamage();
    };
  }, [reload]);

  function changeLocale(locale: Locale) {
    applyLocale(locale);
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // storage unavailable: the choice lasts for this session only
    }
    setLocaleTick(locale);
  }

  const training = (status?.mode ?? info?.mode) === 'training';
  let body;
  if (damage) body = <DamageScreen message={damage} />;
  // Every message sits in a landmark, so a screen reader's landmark list reaches it.
  else if (failure && !status)
    body = (
      <main className="main" id="main">
        <Notice tone="error">{t('app.unexpected', { message: failure })}</Notice>
      </main>
    );
  else if (!status)
    body = (
      <main className="main" id="main" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    );
  else if (status.state === 'needs_first_admin') body = <FirstRunScreen onDone={setStatus} />;
  else if (status.state === 'signed_out') body = <SignInScreen onDone={setStatus} />;
  else if (status.state === 'locked') body = <UnlockScreen status={status} onDone={setStatus} />;
  else body = <Workspace status={status} onStatus={setStatus} locale={getLocale()} onLocale={changeLocale} />;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {training ? (
        <aside className="training-banner" aria-label={t('app.trainingLabel')} data-testid="training-banner">
          {info?.trainingBanner ?? t('app.training')}
        </aside>
      ) : null}
      {body}
    </div>
  );
}

function Workspace({
  status,
  onStatus,
  locale,
  onLocale,
}: {
  status: AuthStatus;
  onStatus: (s: AuthStatus) => void;
  locale: Locale;
  onLocale: (l: Locale) => void;
}) {
  const [view, setView] = useState<View>({ name: 'search' });
  const searchRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const user = status.user;
  const isAdmin = user?.role === 'administrator';
  useScreenFocus(mainRef, view.name === 'chart' ? `chart:${view.patientId}` : view.name);
  useEffect(() => trackUserInput(), []);

  /** Leaves the current screen, asking first when it holds input nobody saved. */
  const go = useCallback((next: View) => {
    if (!mayDiscard(mainRef.current)) return false;
    setView(next);
    return true;
  }, []);

  const goSearch = useCallback(() => {
    if (!mayDiscard(mainRef.current)) return;
    // Rendered and focused before this key event ends: the keys typed next land in the box.
    flushSync(() => setView({ name: 'search' }));
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);

  // Any key, click, scroll or mouse movement pushes the auto-lock back (throttled).
  useActivityTouch(() => void run(api().auth.touch({})));

  // `/` (outside a text field) or Ctrl+K: find a patient.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
      if ((e.key === 'k' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !typing)) {
        e.preventDefault();
        goSearch();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [goSearch]);

  async function lock() {
    const r = await run(api().auth.lock({}));
    if (r.ok) onStatus(r.value);
  }
  async function signOut() {
    const r = await run(api().auth.signOut({}));
    if (r.ok) onStatus(r.value);
  }

  const nav: { key: View['name']; label: string; go: () => void }[] = [
    { key: 'search', label: t('nav.patients'), go: goSearch },
    { key: 'workQueue', label: t('nav.workQueue'), go: () => go({ name: 'workQueue' }) },
    // The recall list reads every chart: administrators and clinicians (the contract's rule).
    ...(user?.role === 'front_desk' ? [] : [{ key: 'recall' as const, label: t('nav.recall'), go: () => go({ name: 'recall' }) }]),
    { key: 'lots', label: t('nav.lots'), go: () => go({ name: 'lots' }) },
    // The reports name patients (the late list) and count the clinic's work: the contract's clinical roles.
    ...(user?.role === 'front_desk' ? [] : [{ key: 'reports' as const, label: t('nav.reports'), go: () => go({ name: 'reports' }) }]),
    { key: 'settings', label: t('nav.settings'), go: () => go({ name: 'settings' }) },
  ];
  const current = view.name === 'chart' || view.name === 'register' || view.name === 'editPatient' ? 'search' : view.name;
  const openChart = (patientId: string, dose?: DoseMode) => setView({ name: 'chart', patientId, dose });
  const openSetup = (step: SetupStep) => go(step === 'lots' ? { name: 'lots' } : { name: 'settings', focus: SETUP_FIELD[step] });

  return (
    <CodeListsProvider>
      <SyncProvider>
        <header className="topbar">
          <span className="topbar__brand">{t('app.name')}</span>
          <nav aria-label={t('nav.label')}>
            {nav.map((n) => (
              <button key={n.key} type="button" className="navbtn" aria-current={current === n.key ? 'page' : undefined} onClick={n.go}>
                {n.label}
              </button>
            ))}
          </nav>
          <div className="topbar__user">
            <span>{t('nav.signedInAs', { name: user?.displayName ?? '' })}</span>
            <label htmlFor="locale" className="visually-hidden">
              {t('app.language')}
            </label>
            <select id="locale" value={locale} onChange={(e) => onLocale(e.target.value as Locale)}>
              {Object.entries(LOCALES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
            <button type="button" className="btn" onClick={() => void lock()}>
              {t('nav.lock')}
            </button>
            <button type="button" className="btn" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </div>
        </header>
        <SyncBar onOpenDose={(patientId, doseId, state) => openChart(patientId, state === 'rejected' ? { mode: 'edit', doseId } : undefined)} />
        <aside className="shortcuts" aria-label={t('nav.shortcutsLabel')}>
          {t('nav.shortcuts')}
        </aside>
        <main className="main" id="main" ref={mainRef} tabIndex={-1}>
          {view.name === 'search' ? <PatientSearch inputRef={searchRef} onOpen={(id) => openChart(id)} onRegister={() => setView({ name: 'register' })} /> : null}
          {view.name === 'search' && isAdmin ? <SetupChecklist placement="home" onOpen={openSetup} /> : null}
          {view.name === 'register' ? (
            <PatientForm onSaved={(p) => openChart(p.id)} onCancel={goSearch} onOpenExisting={(id) => openChart(id)} />
          ) : null}
          {view.name === 'editPatient' ? (
            <PatientForm patient={view.patient} onSaved={(p) => openChart(p.id)} onCancel={() => openChart(view.patient.id)} onOpenExisting={(id) => openChart(id)} />
          ) : null}
          {view.name === 'chart' ? (
            <PatientChart key={view.patientId} patientId={view.patientId} user={user} initialDose={view.dose} onEditPatient={(p) => setView({ name: 'editPatient', patient: p })} />
          ) : null}
          {view.name === 'workQueue' ? <WorkQueue user={user} onFix={(patientId, doseId) => openChart(patientId, { mode: 'edit', doseId })} onOpen={(id) => openChart(id)} /> : null}
          {view.name === 'recall' ? <RecallScreen onOpen={(id) => openChart(id)} /> : null}
          {view.name === 'reports' ? <ReportsScreen /> : null}
          {view.name === 'lots' ? <LotsScreen /> : null}
          {view.name === 'settings' ? <SettingsScreen isAdmin={isAdmin} focusId={view.focus} /> : null}
        </main>
      </SyncProvider>
    </CodeListsProvider>
  );
}

export function startLocale(): void {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LOCALE_KEY);
  } catch {
    saved = null;
  }
  applyLocale(initialLocale(saved, typeof navigator === 'undefined' ? undefined : navigator.language));
}
