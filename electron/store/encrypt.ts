import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createAudit } from './audit';
import { fsyncFile, fsyncFolder, listBackups } from './backups';
import { applyKey, fileEncryption, openDatabase, type Database, type StoreKey } from './driver';
import { StoreError } from './errors';
import { writeTransactions } from './transactions';

// The upgrade of a plaintext database (every version before encryption) to an encrypted one,
// in place. SQLCipher's sqlcipher_export is not in this build, the backup API refuses keyed
// databases and rekey refuses WAL files, so:
//   1. the state file `<db>.encrypting` says "copying"; the plaintext file is checkpointed and
//      copied with VACUUM INTO to `<db>.encrypting-temp` (rollback-journal mode);
//   2. the copy is rekeyed (every page rewritten encrypted), put in WAL mode, and checked
//      against the original: every table's row count, the audit chain and its last hash;
//   3. the copy is fsynced, the original closed (its WAL folds into it and is removed), the
//      state file says "swapping", and the copy is renamed over the original (atomic);
//   4. plaintext pre-migration backups beside it are encrypted the same way, and the state
//      file is removed.
// A kill before 3 leaves the original untouched and the next start throws the copy away and
// begins again; a kill after it finds the state "swapping" and finishes the rename and the
// clean-up. At no point is the database's name without a whole database behind it.

export const STATE_SUFFIX = '.encrypting';
export const TEMP_SUFFIX = '.encrypting-temp';

type Stage = 'copying' | 'swapping';

export interface EncryptOptions {
  nativeBinding?: string;
  logger?: { info(message: string, detail?: Record<string, unknown>): void };
  /** Tests: called at each step, so a child process can be killed exactly there. */
  step?: (name: string) => void;
}

function readStage(path: string): Stage | undefined {
  try {
    const parsed = JSON.parse(readFileSync(`${path}${STATE_SUFFIX}`, 'utf8')) as { stage?: unknown };
    return parsed.stage === 'swapping' ? 'swapping' : 'copying';
  } catch (err) {
    // Missing: no upgrade was under way. Unreadable (cut off while written): the stage was being
    // set to "copying", since "swapping" is written only after the copy was fsynced.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'copying';
  }
}

function writeStage(path: string, stage: Stage): void {
  const file = `${path}${STATE_SUFFIX}`;
  writeFileSync(`${file}.tmp`, JSON.stringify({ stage, at: new Date().toISOString() }), { mode: 0o600 });
  fsyncFile(`${file}.tmp`);
  renameSync(`${file}.tmp`, file);
  fsyncFolder(dirname(path));
}

function removeTemp(temp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
}

/** Row counts of real tables (virtual tables' rows live in shadow tables, which are counted). */
export function tableCounts(db: Database): Record<string, number> {
  const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return out;
}

/** The audit chain checked row by row, with its last hash (undefined without an audit table). */
export function auditTail(db: Database): { rows: number; lastHash: string | null } | undefined {
  const hasAudit = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit'").get() !== undefined;
  if (!hasAudit) return undefined;
  const audit = createAudit(db, () => new Date());
  const verdict = audit.repo(writeTransactions(db, audit.hooks)).verifyChain();
  if (!verdict.ok) throw new StoreError('corrupt', `The audit trail's hash chain is broken at row ${verdict.brokenAtId}.`, { code: 'SQLITE_CORRUPT' });
  const last = db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  return { rows: verdict.rows, lastHash: last?.hash ?? null };
}

/** Copies the open plaintext `source` to an encrypted file at `target` and checks it; throws on any difference. */
function encryptedCopy(source: Database, target: string, key: StoreKey, options: EncryptOptions & { wal: boolean }): void {
  removeTemp(target);
  source.prepare('VACUUM INTO ?').run(target);
  options.step?.('copied');
  const expected = tableCounts(source);
  const expectedTail = auditTail(source);
  const copy = openDatabase(target, { fileMustExist: true, nativeBinding: options.nativeBinding, key: null });
  try {
    copy.pragma('journal_mode = DELETE');
    applyKey(copy, key, 'rekey');
    options.step?.('rekeyed');
    if (options.wal) copy.pragma('journal_mode = WAL');
    const got = tableCounts(copy);
    for (const [table, n] of Object.entries(expected)) {
      if (got[table] !== n) throw new StoreError('io', `The encrypted copy has ${got[table] ?? 'no'} rows in ${table}, the database ${n}; the database was left as it was.`);
    }
    const tail = auditTail(copy);
    if (JSON.stringify(tail) !== JSON.stringify(expectedTail)) throw new StoreError('io', 'The encrypted copy does not end its audit trail where the database does; the database was left as it was.');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError('io', `The encrypted copy is damaged (${String(check)}); the database was left as it was.`);
  } finally {
    copy.close();
  }
  if (fileEncryption(target) !== 'encrypted') throw new StoreError('io', 'The copy came out unencrypted; the database was left as it was.');
  fsyncFile(target);
}

/** Encrypts a plaintext backup file in place (through a temporary copy and a rename). */
function encryptBackup(file: string, key: StoreKey, options: EncryptOptions): void {
  const temp = `${file}${TEMP_SUFFIX}`;
  const db = openDatabase(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding, key: null });
  try {
    encryptedCopy(db, temp, key, { ...options, wal: false });
  } finally {
    db.close();
  }
  renameSync(temp, file);
  fsyncFolder(dirname(file));
}

function finish(path: string, key: StoreKey, options: EncryptOptions): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  options.step?.('swapped');
  for (const backup of listBackups(path)) {
    if (fileEncryption(backup.path) !== 'plain') continue;
    try {
      encryptBackup(backup.path, key, options);
    } catch {
      // A backup that cannot be read to encrypt it cannot be restored either; leaving it would
      // leave patients' data readable on the disk.
      rmSync(backup.path, { force: true });
    }
    options.step?.('backup');
  }
  for (const name of readdirSync(dirname(path))) {
    if (name.startsWith(basename(path)) && name.includes(TEMP_SUFFIX)) removeTemp(join(dirname(path), name));
  }
  rmSync(`${path}${STATE_SUFFIX}`, { force: true });
  fsyncFolder(dirname(path));
}

/**
 * Makes sure the database at `path` is encrypted under `key`, finishing or rolling back an
 * upgrade a kill interrupted. Returns what it did. Never leaves `path` without a whole database.
 */
export function ensureEncrypted(path: string, key: StoreKey, options: EncryptOptions = {}): 'already' | 'encrypted' | 'resumed' {
  const temp = `${path}${TEMP_SUFFIX}`;
  const stage = readStage(path);
  if (stage === 'swapping') {
    // The copy was whole and fsynced before this stage was written: finish what was begun.
    if (existsSync(temp)) {
      renameSync(temp, path);
      fsyncFolder(dirname(path));
    }
    finish(path, key, options);
    options.logger?.info('store: finished an interrupted encryption of the database', { path });
    return 'resumed';
  }
  if (stage === 'copying') {
    removeTemp(temp);
    rmSync(`${path}${STATE_SUFFIX}`, { force: true });
  }
  if (!existsSync(path) || fileEncryption(path) !== 'plain') return 'already';

  writeStage(path, 'copying');
  options.step?.('started');
  const source = openDatabase(path, { fileMustExist: true, nativeBinding: options.nativeBinding, key: null });
  try {
    source.pragma('wal_checkpoint(TRUNCATE)');
    encryptedCopy(source, temp, key, { ...options, wal: true });
  } catch (err) {
    source.close();
    removeTemp(temp);
    rmSync(`${path}${STATE_SUFFIX}`, { force: true });
    throw err;
  }
  // Closing the last connection folds the WAL into the file and removes it: nothing in the
  // plaintext WAL may be lost, and none of it may be replayed onto the encrypted file.
  source.close();
  options.step?.('closed');
  writeStage(path, 'swapping');
  options.step?.('marked');
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  renameSync(temp, path);
  fsyncFolder(dirname(path));
  finish(path, key, options);
  options.logger?.info('store: encrypted the database', { path });
  return 'encrypted';
}
