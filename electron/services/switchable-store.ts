import type { DurabilityReport, LocalStore, StoreError } from '../store';
import type { StoreDiagnostics } from '../store/diagnostics';

// The store the services and the handler table hold: it forwards every call to the database of
// the mode in use, so a mode switch replaces one file with the other without rebuilding the
// services, the handlers or the sessions (a signed-in person stays signed in). Each call
// resolves the database when it is made; the switch itself runs alone (InFlight.exclusive), so
// no call starts on one file and ends on the other.
//
// The sync engine is never given this store: an engine works on its own file from start to
// stop, so what it recovers or sends always belongs to its mode.

type Repos = Pick<LocalStore, 'patients' | 'doses' | 'lots' | 'clinicians' | 'users' | 'outbox' | 'workQueue' | 'audit' | 'settings' | 'observations' | 'reports'>;

export class SwitchableStore implements LocalStore {
  readonly patients: LocalStore['patients'];
  readonly doses: LocalStore['doses'];
  readonly lots: LocalStore['lots'];
  readonly clinicians: LocalStore['clinicians'];
  readonly users: LocalStore['users'];
  readonly outbox: LocalStore['outbox'];
  readonly workQueue: LocalStore['workQueue'];
  readonly audit: LocalStore['audit'];
  readonly settings: LocalStore['settings'];
  readonly observations: LocalStore['observations'];
  readonly reports: LocalStore['reports'];

  constructor(private current: LocalStore) {
    this.patients = this.forward('patients');
    this.doses = this.forward('doses');
    this.lots = this.forward('lots');
    this.clinicians = this.forward('clinicians');
    this.users = this.forward('users');
    this.outbox = this.forward('outbox');
    this.workQueue = this.forward('workQueue');
    this.audit = this.forward('audit');
    this.settings = this.forward('settings');
    this.observations = this.forward('observations');
    this.reports = this.forward('reports');
  }

  /** The database in use now. */
  get active(): LocalStore {
    return this.current;
  }

  get path(): string {
    return this.current.path;
  }

  get schemaVersion(): number {
    return this.current.schemaVersion;
  }

  get durability(): DurabilityReport {
    return this.current.durability;
  }

  checkDurability(): DurabilityReport {
    return this.current.checkDurability();
  }

  damage(): StoreError | undefined {
    return this.current.damage();
  }

  waitingAuditRows(): number {
    return this.current.waitingAuditRows();
  }

  diagnostics(): StoreDiagnostics {
    return this.current.diagnostics();
  }

  /** Puts `next` in use and returns the one it replaces (the caller closes it). */
  swap(next: LocalStore): LocalStore {
    const previous = this.current;
    this.current = next;
    return previous;
  }

  close(): void {
    this.current.close();
  }

  private forward<K extends keyof Repos>(name: K): Repos[K] {
    return new Proxy({} as Repos[K], {
      get: (_target, key) => {
        const repo = this.current[name];
        const value: unknown = Reflect.get(repo, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(repo) : value;
      },
    });
  }
}
