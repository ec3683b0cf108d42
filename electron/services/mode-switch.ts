import type { RunMode } from '../api';
import type { LocalStore } from '../store';
import { CarryOverError } from './carry-over';
import type { MachineConfig } from './config';
import { ApiFailure } from './errors';
import type { InFlight } from './app-services';
import type { ModeControl, SwitchRequest } from './mode-control';
import { ModeFileError, modeLabel, writeModeRecord, type ModeFiles } from './mode-files';
import type { SwitchableStore } from './switchable-store';

// A mode switch, in an order that lets nothing of one mode reach the other:
//   1. It runs alone: calls in progress finish, calls arriving are refused with a message
//      (never queued into the other mode's database).
//   2. Leaving production needs every real report settled: otherwise a dose would sit unsent
//      in a file nobody drains while the clinic practises, past its 72-hour deadline. Leaving
//      training needs nothing: practice reports stay in the training file, whose engine only
//      ever talks to the simulator.
//   3. Reporting of the old mode stops: its engine ends (in-flight sends finish or are aborted
//      and go back to pending in its own file), then its transport and simulator.
//   4. The other database is opened (created if needed, its mark checked) and the accounts and
//      settings are copied into it.
//   5. The mode record is replaced: the switch has happened. A failure before this point puts
//      the old mode back as it was, reporting included.
//   6. The services move to the new database, the old one is closed, and reporting starts for
//      the new mode on the new file.

export interface ModeSwitcherParts {
  files: ModeFiles;
  config: MachineConfig;
  store: SwitchableStore;
  inFlight: InFlight;
  /** Opens a mode's database (openModeStore). */
  open(mode: RunMode): LocalStore;
  carryOver(from: LocalStore, to: LocalStore, fromMode: RunMode, toMode: RunMode, request: SwitchRequest): void;
  stopReporting(): Promise<void>;
  startReporting(mode: RunMode, store: LocalStore): Promise<void>;
  now(): Date;
  logError(context: string, err: unknown): void;
}

export class ModeSwitcher implements ModeControl {
  constructor(
    private readonly parts: ModeSwitcherParts,
    private mode: RunMode,
  ) {}

  current(): RunMode {
    return this.mode;
  }

  switchTo(target: RunMode, request: SwitchRequest): Promise<void> {
    const refusal = new ApiFailure('conflict', `DoseDesk is switching to ${modeLabel(target)} mode right now, so nothing was changed. Try again in a moment.`, {
      code: 'app.switching_mode',
    });
    return this.parts.inFlight.exclusive(refusal, () => this.switchAlone(target, request));
  }

  private async switchAlone(target: RunMode, request: SwitchRequest): Promise<void> {
    const { parts } = this;
    const from = this.mode;
    if (from === target) return;
    if (parts.config.mode !== undefined && parts.config.mode !== target) {
      throw new ApiFailure('forbidden', `IT keeps this computer in ${parts.config.mode} mode (${parts.config.path}). Ask IT to change it there.`, { code: 'settings.fixed_by_machine' });
    }
    request.confirm?.();
    const leaving = parts.store.active;
    if (from === 'production') refuseWhileUnsent(leaving);

    let next: LocalStore | undefined;
    try {
      await parts.stopReporting();
      next = parts.open(target);
      parts.carryOver(leaving, next, from, target, request);
      writeModeRecord(parts.files, { mode: target, since: parts.now().toISOString() });
    } catch (err) {
      next?.close();
      await this.resume(from, leaving);
      throw failed(from, target, err);
    }

    const detail = { from, to: target, ...request.detail };
    leaving.audit.append({ userId: request.by.userId, action: 'registry.mode_changed', detail: { ...detail, database: next.path } });
    next.audit.append({ userId: request.by.userId, action: 'registry.mode_changed', detail: { ...detail, database: next.path, previousDatabase: leaving.path } });
    parts.store.swap(next);
    this.mode = target;
    leaving.close();
    try {
      await parts.startReporting(target, next);
    } catch (err) {
      parts.logError(`starting ${target} reporting after the switch`, err);
      throw new ApiFailure('internal', `DoseDesk is now in ${modeLabel(target)} mode, but reporting could not start (${(err as Error).message}). Nothing was lost; restart DoseDesk, and tell IT if this happens again.`, {
        code: 'registry.reporting_not_started',
      });
    }
  }

  /** Puts the old mode's reporting back after a failed switch (its database never closed). */
  private async resume(mode: RunMode, store: LocalStore): Promise<void> {
    try {
      await this.parts.startReporting(mode, store);
    } catch (err) {
      this.parts.logError(`restarting ${mode} reporting after a failed switch`, err);
    }
  }
}

function refuseWhileUnsent(store: LocalStore): void {
  if (!store.outbox.hasUnsent()) return;
  const s = store.outbox.stats();
  const waiting = s.pending + s.sending + s.rejected;
  throw new ApiFailure(
    'conflict',
    `${waiting} report${waiting === 1 ? ' is' : 's are'} still waiting for MIIS. Switching to training now would leave ${waiting === 1 ? 'it' : 'them'} unsent. Let ${waiting === 1 ? 'it' : 'them'} finish (or resolve the work queue) first.`,
    { code: 'registry.unsent_reports' },
  );
}

function failed(from: RunMode, target: RunMode, err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err;
  const known = err instanceof ModeFileError || err instanceof CarryOverError;
  const reason = err instanceof Error ? err.message : String(err);
  return new ApiFailure('store', `DoseDesk stays in ${modeLabel(from)} mode: the ${modeLabel(target)} database could not be prepared. ${reason}${known ? '' : ' Nothing was changed; tell IT if this happens again.'}`, {
    code: 'registry.switch_failed',
  });
}
