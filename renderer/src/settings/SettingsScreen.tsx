import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConnectionCheckResult, SettingsView } from '../../../electron/api';
import { CREDENTIALS, type Clinician } from '../../../electron/domain/clinician';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, formatDateTime, run, type FieldErrors } from '../api';
import { engineText } from '../sync/engine-text';
import { SelectField, TextField } from '../ui/Field';
import { forgetInput } from '../app/unsaved-input';
import { Notice } from '../ui/Notice';
import { SETUP_FIELD, SetupChecklist } from './SetupChecklist';
import { StorageSection } from './StorageSection';
import { UsersSection } from './UsersSection';

// What an administrator manages in the app: staff accounts, the clinicians whose names go on
// doses, the MIIS connection (values IT's file leaves open, credentials, a test, the mode), and
// what IT needs to know about the database file.

export function SettingsScreen({ isAdmin, focusId }: { isAdmin: boolean; /** A field to put the keyboard in once it is shown (from the setup checklist). */ focusId?: string }) {
  // Bumped by every section after a change, so the others (the linked-clinician list, the
  // checklist) read again instead of showing what was there when the screen opened.
  const [revision, setRevision] = useState(0);
  const changed = useCallback(() => setRevision((r) => r + 1), []);
  useFocusWhenShown(isAdmin ? focusId : undefined);
  if (!isAdmin) {
    return (
      <section className="card">
        <h1>{t('settings.title')}</h1>
        <Notice tone="info">{t('settings.adminOnly')}</Notice>
      </section>
    );
  }
  return (
    <div>
      <h1>{t('settings.title')}</h1>
      <SetupChecklist placement="settings" refreshKey={revision} onOpen={(step) => focusSoon(SETUP_FIELD[step])} />
      <SiteSection onChanged={changed} />
      <ConnectionSection onChanged={changed} />
      <CliniciansSection onChanged={changed} />
      <UsersSection refreshKey={revision} onChanged={changed} />
      <StorageSection />
    </div>
  );
}

/** Focuses the element once it exists (sections load on their own), giving up after a while. */
function focusSoon(id: string, tries = 40): void {
  const el = document.getElementById(id);
  if (el) {
    el.focus();
    el.scrollIntoView?.({ block: 'center' });
  } else if (tries > 0) setTimeout(() => focusSoon(id, tries - 1), 50);
}

function useFocusWhenShown(id: string | undefined): void {
  useEffect(() => {
    // After the screen's own first focus (useScreenFocus), which would otherwise win.
    if (id) setTimeout(() => focusSoon(id), 60);
  }, [id]);
}

const SITE_KEYS = ['site.name', 'site.street1', 'site.city', 'site.state', 'site.zip'] as const;
type SiteKey = (typeof SITE_KEYS)[number];
const SITE_FIELD: Record<SiteKey, { id: string; label: MessageKey }> = {
  'site.name': { id: 'set-site-name', label: 'settings.site.name' },
  'site.street1': { id: 'set-site-street', label: 'settings.site.street' },
  'site.city': { id: 'set-site-city', label: 'settings.site.city' },
  'site.state': { id: 'set-site-state', label: 'settings.site.state' },
  'site.zip': { id: 'set-site-zip', label: 'settings.site.zip' },
};

/** The administering location MIIS receives with every dose (RXA-11; 105 CMR 222.100). */
function SiteSection({ onChanged }: { onChanged: () => void }) {
  const [view, setView] = useState<SettingsView>();
  const [v, setV] = useState<Record<SiteKey, string>>({ 'site.name': '', 'site.street1': '', 'site.city': '', 'site.state': '', 'site.zip': '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string }>();
  const formRef = useRef<HTMLFormElement>(null);

  const apply = useCallback((next: SettingsView) => {
    setView(next);
    setV({
      'site.name': next.values['site.name'] ?? '',
      'site.street1': next.values['site.street1'] ?? '',
      'site.city': next.values['site.city'] ?? '',
      'site.state': next.values['site.state'] || 'MA',
      'site.zip': next.values['site.zip'] ?? '',
    });
  }, []);
  useEffect(() => {
    void run(api().settings.get({})).then((r) => r.ok && apply(r.value));
  }, [apply]);

  if (!view) return null;
  const editable = (key: string) => view.siteEditable.includes(key);

  async function save(e: FormEvent) {
    e.preventDefault();
    const values: Record<string, string> = {};
    for (const key of SITE_KEYS) if (editable(key)) values[key] = v[key];
    const r = await run(api().settings.update({ scope: 'site', values }));
    if (r.ok) {
      apply(r.value);
      setErrors({});
      forgetInput(formRef.current);
      setMessage({ tone: 'success', text: t('settings.saved') });
      onChanged();
      return;
    }
    const fields: FieldErrors = {};
    for (const issue of r.error.issues ?? []) {
      const key = SITE_KEYS.find((k) => issue.path.endsWith(k));
      if (key) fields[key] = issue.message;
    }
    setErrors(fields);
    setMessage({ tone: 'error', text: Object.keys(fields).length ? t('form.fixErrors') : r.error.message });
  }

  return (
    <section className="card" aria-labelledby="site-title">
      <h2 id="site-title">{t('settings.site')}</h2>
      <p className="field__hint">{t('settings.site.hint')}</p>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <form ref={formRef} onSubmit={save} noValidate>
        <div className="grid grid--wide">
          {SITE_KEYS.map((key) => (
            <TextField
              key={key}
              id={SITE_FIELD[key].id}
              label={t(SITE_FIELD[key].label)}
              value={v[key]}
              onValue={(x) => setV((s) => ({ ...s, [key]: x }))}
              disabled={!editable(key)}
              hint={editable(key) ? undefined : t('settings.fixedByIt', { path: view.configFile.path })}
              error={errors[key]}
              required={key !== 'site.state'}
              inputMode={key === 'site.zip' ? 'numeric' : undefined}
            />
          ))}
        </div>
        <div className="btn-row">
          <button type="submit" className="btn">
            {t('settings.site.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ConnectionSection({ onChanged }: { onChanged: () => void }) {
  const [view, setView] = useState<SettingsView>();
  const [endpoint, setEndpoint] = useState('');
  const [pin, setPin] = useState('');
  const [facility, setFacility] = useState('');
  const [credUser, setCredUser] = useState('');
  const [credPassword, setCredPassword] = useState('');
  const [check, setCheck] = useState<ConnectionCheckResult>();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string }>();
  const sectionRef = useRef<HTMLElement>(null);

  const apply = useCallback((v: SettingsView) => {
    setView(v);
    setEndpoint(v.values['registry.endpointUrl']);
    setPin(v.values['registry.vaccinePin']);
    setFacility(v.values['registry.facilityId']);
  }, []);

  useEffect(() => {
    void run(api().settings.get({})).then((r) => r.ok && apply(r.value));
  }, [apply]);

  if (!view) return <p>{t('app.loading')}</p>;
  const editable = (key: string) => view.siteEditable.includes(key);
  const fixedHint = (key: string) => (editable(key) ? undefined : t('settings.fixedByIt', { path: view.configFile.path }));

  async function saveConnection(e: FormEvent) {
    e.preventDefault();
    const values: Record<string, string> = {};
    if (editable('registry.endpointUrl')) values['registry.endpointUrl'] = endpoint;
    if (editable('registry.vaccinePin')) values['registry.vaccinePin'] = pin;
    if (editable('registry.facilityId')) values['registry.facilityId'] = facility;
    const r = await run(api().settings.update({ scope: 'site', values }));
    if (r.ok) {
      apply(r.value);
      forgetInput(sectionRef.current);
      setMessage({ tone: 'success', text: t('settings.saved') });
      onChanged();
    } else setMessage({ tone: 'error', text: r.error.message });
  }

  async function saveCredentials(e: FormEvent) {
    e.preventDefault();
    const r = await run(api().registry.saveCredentials({ username: credUser, password: credPassword }));
    setCredPassword('');
    if (r.ok) {
      apply(r.value);
      forgetInput(sectionRef.current);
      setMessage({ tone: 'success', text: t('settings.saved') });
      onChanged();
    } else setMessage({ tone: 'error', text: r.error.message });
  }

  async function testConnection() {
    const r = await run(api().registry.testConnection({}));
    if (r.ok) setCheck(r.value);
    else setMessage({ tone: 'error', text: r.error.message });
  }

  async function switchMode() {
    if (view?.mode === 'training') {
      const r = await run(api().registry.switchToProduction({}));
      if (r.ok) setCheck(r.value);
      else setMessage({ tone: 'error', text: r.error.message });
    } else {
      const r = await run(api().registry.switchToTraining({}));
      if (!r.ok) setMessage({ tone: 'error', text: r.error.message });
    }
    void run(api().settings.get({})).then((s) => s.ok && apply(s.value));
    onChanged();
  }

  return (
    <section className="card" aria-labelledby="conn-title" ref={sectionRef}>
      <h2 id="conn-title">{t('settings.connection')}</h2>
      <p>{t('settings.mode', { mode: t(`settings.mode.${view.mode}` as MessageKey) })}</p>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <form onSubmit={saveConnection} noValidate>
        <div className="grid grid--wide">
          <TextField id="set-endpoint" label={t('settings.endpoint')} value={endpoint} onValue={setEndpoint} disabled={!editable('registry.endpointUrl')} hint={fixedHint('registry.endpointUrl')} />
          <TextField id="set-pin" label={t('settings.vaccinePin')} value={pin} onValue={setPin} disabled={!editable('registry.vaccinePin')} hint={fixedHint('registry.vaccinePin')} />
          <TextField id="set-facility" label={t('settings.facilityId')} value={facility} onValue={setFacility} disabled={!editable('registry.facilityId')} hint={fixedHint('registry.facilityId')} />
        </div>
        <div className="btn-row">
          <button type="submit" className="btn">
            {t('settings.saveConnection')}
          </button>
        </div>
      </form>
      <h3>{t('settings.credentials')}</h3>
      <p>{view.credentials.stored ? t('settings.credentialsStored', { username: view.credentials.username ?? '' }) : t('settings.credentialsNone')}</p>
      {view.credentials.protectionAvailable ? (
        <form onSubmit={saveCredentials} noValidate>
          <div className="grid">
            <TextField id="set-cred-user" label={t('settings.credUser')} value={credUser} onValue={setCredUser} autoComplete="off" />
            <TextField id="set-cred-password" type="password" label={t('settings.credPassword')} value={credPassword} onValue={setCredPassword} autoComplete="new-password" />
          </div>
          <div className="btn-row">
            <button type="submit" className="btn">
              {t('settings.saveCredentials')}
            </button>
          </div>
        </form>
      ) : (
        <Notice tone="warning">{t('settings.credentialsUnprotected')}</Notice>
      )}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => void testConnection()}>
          {t('settings.test')}
        </button>
        <button type="button" className="btn" onClick={() => void switchMode()}>
          {view.mode === 'training' ? t('settings.toProduction') : t('settings.toTraining')}
        </button>
      </div>
      {check ? (
        <Notice tone={check.ok ? 'success' : 'error'}>
          {check.ok ? t('settings.testOk', { method: check.method, detail: check.detail }) : t('settings.testFailed', { detail: engineText({ code: check.code, message: check.detail, params: check.params }) })} ({formatDateTime(check.checkedAt)})
        </Notice>
      ) : null}
    </section>
  );
}

function CliniciansSection({ onChanged }: { onChanged: () => void }) {
  const [clinicians, setClinicians] = useState<Clinician[]>([]);
  const [v, setV] = useState({ lastName: '', firstName: '', credential: '', npi: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const load = useCallback(async () => {
    const r = await run(api().clinicians.list({ includeInactive: true }));
    if (r.ok) setClinicians(r.value);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clinician = { lastName: v.lastName, firstName: v.firstName, credential: v.credential as Clinician['credential'], npi: v.npi.trim() || undefined };
    const r = await run(api().clinicians.create({ clinician }));
    if (!r.ok) return setErrors(Object.keys(fieldErrors(r.error.issues, 'clinician')).length ? fieldErrors(r.error.issues, 'clinician') : { lastName: r.error.message });
    setErrors({});
    setV({ lastName: '', firstName: '', credential: '', npi: '' });
    void load();
    onChanged();
  }

  async function toggle(c: Clinician) {
    await run(api().clinicians.setActive({ id: c.id, active: !c.active }));
    void load();
    onChanged();
  }

  return (
    <section className="card" aria-labelledby="clin-title">
      <h2 id="clin-title">{t('settings.clinicians')}</h2>
      <ul>
        {clinicians.map((c) => (
          <li key={c.id}>
            {c.firstName} {c.lastName}, {c.credential} {c.npi ? `· ${t('code.npi', { npi: c.npi })}` : ''} · {c.active ? t('settings.user.active') : t('settings.user.inactive')}{' '}
            <button type="button" className="btn" onClick={() => void toggle(c)}>
              {c.active ? t('lots.deactivate') : t('lots.reactivate')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate>
        <div className="grid">
          <TextField id="cl-first" label={t('settings.clinician.firstName')} value={v.firstName} onValue={(x) => setV({ ...v, firstName: x })} error={errors.firstName} required />
          <TextField id="cl-last" label={t('settings.clinician.lastName')} value={v.lastName} onValue={(x) => setV({ ...v, lastName: x })} error={errors.lastName} required />
          <SelectField id="cl-cred" label={t('settings.clinician.credential')} value={v.credential} onValue={(x) => setV({ ...v, credential: x })} options={CREDENTIALS.map((c) => ({ value: c, label: c }))} placeholder={t('form.choose')} error={errors.credential} required />
          <TextField id="cl-npi" label={t('settings.clinician.npi')} value={v.npi} onValue={(x) => setV({ ...v, npi: x })} error={errors.npi} inputMode="numeric" />
        </div>
        <div className="btn-row">
          <button type="submit" className="btn">
            {t('settings.clinician.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
