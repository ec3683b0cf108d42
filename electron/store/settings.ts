import { auditAs, nowIso, type StoreContext } from './context';
import type { SettingsRepo } from './types';

// Plain key/value settings as JSON. Secrets (registry passwords) belong in the OS keychain, not
// here; the audit row names the key but never the value.

export function createSettingsRepo(ctx: StoreContext): SettingsRepo {
  const { db } = ctx;
  const get = db.prepare('SELECT value FROM settings WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @at) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  return {
    get<T>(key: string): T | undefined {
      const row = get.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set(key, value, actor) {
      if (value === undefined) throw new TypeError(`Setting ${key}: store null to clear a value, not undefined.`);
      ctx.transaction(() => {
        put.run({ key, value: JSON.stringify(value), at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'settings.set', 'setting', key));
      })();
    },
  };
}
