import { useState, type FormEvent } from 'react';
import type { ApiError, AuthStatus } from '../../../electron/api';
import { t } from '../../i18n';
import { api, fieldErrors, formatDateTime, run, type FieldErrors } from '../api';
import { TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';

// First run (create the administrator), sign in, and unlock after auto-lock. Each reports the
// new auth status upward; the app shell decides what to show next.

type Done = (status: AuthStatus) => void;

function errorText(error: ApiError): string {
  return error.retryAfter ? `${error.message} ${t('auth.retryAfter', { time: formatDateTime(error.retryAfter) })}` : error.message;
}

export function FirstRunScreen({ onDone }: { onDone: Done }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) {
      setErrors({ confirm: t('auth.passwordMismatch') });
      return;
    }
    setBusy(true);
    const r = await run(api().auth.createFirstAdmin({ username, displayName, password }));
    setBusy(false);
    if (r.ok) return onDone(r.value);
    setErrors(fieldErrors(r.error.issues, 'input'));
    setMessage(r.error.issues?.length ? undefined : errorText(r.error));
  }

  return (
    <main className="card narrow" id="main">
      <h1>{t('auth.firstRun.title')}</h1>
      <p>{t('auth.firstRun.intro')}</p>
      <form onSubmit={submit} noValidate>
        {message ? <Notice tone="error">{message}</Notice> : null}
        <TextField id="fr-displayName" label={t('auth.displayName')} value={displayName} onValue={setDisplayName} error={errors.displayName} required autoFocus />
        <TextField id="fr-username" label={t('auth.username')} value={username} onValue={setUsername} error={errors.username} required autoComplete="username" />
        <TextField id="fr-password" type="password" label={t('auth.password')} hint={t('auth.passwordHint')} value={password} onValue={setPassword} error={errors.password} required autoComplete="new-password" />
        <TextField id="fr-confirm" type="password" label={t('auth.passwordConfirm')} value={confirm} onValue={setConfirm} error={errors.confirm} required autoComplete="new-password" />
        <div className="btn-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('auth.firstRun.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}

export function SignInScreen({ onDone }: { onDone: Done }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await run(api().auth.signIn({ username, password }));
    setBusy(false);
    if (r.ok) return onDone(r.value);
    setPassword('');
    setMessage(errorText(r.error));
  }

  return (
    <main className="card narrow" id="main">
      <h1>{t('auth.signIn.title')}</h1>
      <form onSubmit={submit} noValidate>
        {message ? <Notice tone="error">{message}</Notice> : null}
        <TextField id="si-username" label={t('auth.username')} value={username} onValue={setUsername} required autoFocus autoComplete="username" />
        <TextField id="si-password" type="password" label={t('auth.password')} value={password} onValue={setPassword} required autoComplete="current-password" />
        <div className="btn-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('auth.signIn.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}

export function UnlockScreen({ status, onDone }: { status: AuthStatus; onDone: Done }) {
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run(api().auth.unlock({ password }));
    if (r.ok) return onDone(r.value);
    setPassword('');
    setMessage(errorText(r.error));
  }

  async function signOut() {
    const r = await run(api().auth.signOut({}));
    if (r.ok) onDone(r.value);
  }

  return (
    <main className="card narrow" id="main">
      <h1>{t('auth.unlock.title')}</h1>
      <p>{t('auth.unlock.intro', { name: status.user?.displayName ?? '' })}</p>
      <form onSubmit={submit} noValidate>
        {message ? <Notice tone="error">{message}</Notice> : null}
        <TextField id="ul-password" type="password" label={t('auth.password')} value={password} onValue={setPassword} required autoFocus autoComplete="current-password" />
        <div className="btn-row">
          <button type="submit" className="btn btn--primary">
            {t('auth.unlock.submit')}
          </button>
          <button type="button" className="btn" onClick={signOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </form>
    </main>
  );
}
