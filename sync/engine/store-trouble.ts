import { StoreError, classifyStoreError, type StoreErrorKind } from '../../electron/domain/store-errors';
import type { StoreProblemCode } from '../messages/codes';
import type { SyncProblem } from './types';

// What the status bar says when the local database fails under the sender loop. The loop keeps
// running and retries by itself, so each message says what is safe, what to do, and that
// reporting resumes on its own; the SQLite code at the end is for IT.

const SAY: Partial<Record<StoreErrorKind, { code: StoreProblemCode; message: string }>> = {
  disk_full: {
    code: 'store_disk_full',
    message:
      'Reporting stopped: the disk is full, so DoseDesk cannot record what the registry answers. Doses already saved are safe and wait here. Free some disk space (or ask IT to); reporting resumes by itself.',
  },
  read_only: {
    code: 'store_read_only',
    message:
      'Reporting stopped: DoseDesk cannot write to its database (the file or its folder became read-only, or the disk was unplugged). Doses already saved are safe and wait here. Ask IT to check the DoseDesk data folder; reporting resumes by itself once it can write again.',
  },
  io: {
    code: 'store_io',
    message:
      'Reporting stopped: the computer could not read or write the DoseDesk database (a disk input/output error). Doses already saved are kept. DoseDesk keeps trying by itself; if this message stays, ask IT to check the disk.',
  },
  busy: {
    code: 'store_busy',
    message:
      'Reporting is waiting: another program (another DoseDesk window or a virus scanner) is holding the database. It resumes by itself once the database is free; if this message stays, close other DoseDesk windows or ask IT.',
  },
  corrupt: {
    code: 'store_corrupt',
    message:
      'Reporting stopped: the DoseDesk database file is damaged. Do not delete or replace it: close DoseDesk and call IT, who can restore it from the latest backup.',
  },
};

export function storeProblem(err: unknown, at: string): SyncProblem {
  const classified = classifyStoreError(err);
  if (classified instanceof StoreError) {
    const said = SAY[classified.kind];
    if (said) return { code: said.code, message: `${said.message} (${classified.code ?? classified.kind})`, params: { detail: classified.code ?? classified.kind }, at };
    return {
      code: `store_${classified.kind}`,
      message: `Reporting stopped: the DoseDesk database refused a change (${classified.message}). DoseDesk keeps trying by itself; if this message stays, tell IT.`,
      params: { detail: classified.code ?? classified.kind },
      at,
    };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return {
    code: 'engine_error',
    message: `Reporting stopped because of an unexpected error (${detail}). DoseDesk keeps trying by itself; if this message stays, restart DoseDesk and tell IT.`,
    params: { detail },
    at,
  };
}
