import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { User } from '../../../electron/api';
import type { Clinician } from '../../../electron/domain/clinician';
import { ROLES, type Role } from '../../../electron/domain/user';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, run, type FieldErrors } from '../api';
import { SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';

// Staff accounts: add a user, change a role, turn an account off or on, set a new password
// (which also lifts a lock-out). The main process refuses to leave no active administrator;
// its message is shown as it comes.

const roleOptions = () => ROLES.map((r) => ({ value: r, label: t(`settings.role.${r}` as MessageKey) }));

/** `refreshKey` changes when another section changed what this one lists (a clinician added). */
export function UsersSection({ refreshKey = 0, onChanged }: { refreshKey?: number; onChanged?: () => void }) {
  const [users, setUsers] = useState<User[]>([]);
  const [clinicians, setClinicians] = useState<Clinician[]>([]);
  const [v, setV] = useState({ username: '', displayName: '', role: 'clinician', password: '', clinicianId: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [resetting, setResetting] = useState<string>();

  const load = useCallback(async () => {
    const r = await run(api().users.list({}));
    if (r.ok) setUsers(r.value);
    const c = await run(api().clinicians.list({}));
    if (c.ok) setClinicians(c.value);
  }, []);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const user = { username: v.username, displayName: v.displayName, role: v.role as User['role'], clinicianId: v.clinicianId || undefined };
    const r = await run(api().users.create({ user, password: v.password }));
    if (!r.ok) {
      const f = { ...fieldErrors(r.error.issues, 'user'), ...fieldErrors(r.error.issues?.filter((i) => i.path.endsWith('password')), 'input') };
      return setErrors(Object.keys(f).length ? f : { username: r.error.message });
    }
    setErrors({});
    setV({ username: '', displayName: '', role: 'clinician', password: '', clinicianId: '' });
    void load();
    onChanged?.();
  }

  /** Runs one change to an account and says how it went; the list is reloaded either way. */
  async function change(call: Promise<Awaited<ReturnType<ReturnType<typeof api>['users']['setActive']>>>, success: (u: User) => string) {
    const r = await run(call);
    setNote(r.ok ? { tone: 'success', text: success(r.value) } : { tone: 'error', text: r.error.message });
    void load();
    if (r.ok) onChanged?.();
  }

  const setRole = (u: User, role: Role) =>
    change(api().users.setRole({ id: u.id, role }), (x) => t('settings.user.roleChanged', { name: x.displayName, role: t(`settings.role.${x.role}` as MessageKey) }));
  const toggle = (u: User) =>
    change(api().users.setActive({ id: u.id, active: !u.active }), (x) => t(x.active ? 'settings.user.reactivated' : 'settings.user.deactivated', { name: x.displayName }));

  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">{t('settings.users')}</h2>
      {note ? (
        <Notice tone={note.tone} testId="users-note">
          {note.text}
        </Notice>
      ) : null}
      {users.length > 0 ? (
        <table data-testid="users">
          <thead>
            <tr>
              <th scope="col">{t('settings.user.displayName')}</th>
              <th scope="col">{t('settings.user.role')}</th>
              <th scope="col">{t('settings.user.status')}</th>
              <th scope="col">{t('chart.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                resetting={resetting === u.id}
                onRole={(role) => void setRole(u, role)}
                onToggle={() => void toggle(u)}
                onReset={() => {
                  setNote(undefined);
                  setResetting(resetting === u.id ? undefined : u.id);
                }}
                onResetDone={(text) => {
                  setResetting(undefined);
                  setNote({ tone: 'success', text });
                  void load();
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      <h3>{t('settings.user.create')}</h3>
      <form onSubmit={submit} noValidate>
        <div className="grid">
          <TextField id="us-name" label={t('settings.user.displayName')} value={v.displayName} onValue={(x) => setV({ ...v, displayName: x })} error={errors.displayName} required />
          <TextField id="us-username" label={t('settings.user.username')} value={v.username} onValue={(x) => setV({ ...v, username: x })} error={errors.username} required autoComplete="off" />
          <SelectField id="us-role" label={t('settings.user.role')} value={v.role} onValue={(x) => setV({ ...v, role: x })} options={roleOptions()} error={errors.role} required />
          <SelectField id="us-clinician" label={t('settings.user.clinician')} value={v.clinicianId} onValue={(x) => setV({ ...v, clinicianId: x })} options={clinicians.map((c) => ({ value: c.id, label: `${c.firstName} ${c.lastName}, ${c.credential}` }))} placeholder={t('form.none')} />
          <TextField id="us-password" type="password" label={t('settings.user.password')} hint={t('auth.passwordHint')} value={v.password} onValue={(x) => setV({ ...v, password: x })} error={errors.password} required autoComplete="new-password" />
        </div>
        <div className="btn-row">
          <button type="submit" className="btn">
            {t('settings.user.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

function UserRow({
  user,
  resetting,
  onRole,
  onToggle,
  onReset,
  onResetDone,
}: {
  user: User;
  resetting: boolean;
  onRole: (role: Role) => void;
  onToggle: () => void;
  onReset: () => void;
  onResetDone: (message: string) => void;
}) {
  return (
    <>
      <tr data-user={user.username}>
        <td>
          {user.displayName} <span className="field__hint">({user.username})</span>
        </td>
        <td>
          <select aria-label={t('settings.user.roleOf', { name: user.displayName })} value={user.role} onChange={(e) => onRole(e.target.value as Role)}>
            {roleOptions().map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </td>
        <td>{user.active ? t('settings.user.active') : t('settings.user.inactive')}</td>
        <td>
          <div className="btn-row" style={{ marginTop: 0 }}>
            <button type="button" className={`btn${user.active ? ' btn--danger' : ''}`} onClick={onToggle}>
              {user.active ? t('settings.user.deactivate', { name: user.displayName }) : t('settings.user.reactivate', { name: user.displayName })}
            </button>
            <button type="button" className="btn" aria-expanded={resetting} onClick={onReset}>
              {t('settings.user.resetPassword', { name: user.displayName })}
            </button>
          </div>
        </td>
      </tr>
      {resetting ? (
        <tr>
          <td colSpan={4}>
            <ResetPassword user={user} onDone={onResetDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== again) return setErrors({ again: t('auth.passwordMismatch') });
    setBusy(true);
    const r = await run(api().users.resetPassword({ id: user.id, newPassword: password }));
    setBusy(false);
    if (!r.ok) {
      const f = fieldErrors(r.error.issues, '');
      return setErrors({ password: f.newPassword ?? r.error.message });
    }
    onDone(t('settings.user.passwordReset', { name: r.value.displayName }));
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('settings.user.resetPassword', { name: user.displayName })} data-testid="reset-password">
      <p className="field__hint">{t('settings.user.resetHint')}</p>
      <div className="grid">
        <TextField
          id={`reset-${user.id}`}
          type="password"
          label={t('settings.user.newPassword', { name: user.displayName })}
          hint={t('auth.passwordHint')}
          value={password}
          onValue={setPassword}
          error={errors.password}
          required
          autoComplete="new-password"
          autoFocus
        />
        <TextField id={`reset-${user.id}-again`} type="password" label={t('auth.passwordConfirm')} value={again} onValue={setAgain} error={errors.again} required autoComplete="new-password" />
      </div>
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {t('settings.user.setPassword')}
        </button>
      </div>
    </form>
  );
}
