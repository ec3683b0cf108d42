import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

// Ways a file gets damaged behind DoseDesk's back, made on purpose on a closed database.

/**
 * Makes one index lose track of `key` while its table keeps the row: the key's bytes in the
 * index's own pages are changed to a key that sorts after every other (so the page stays in
 * order and quick_check still passes; only integrity_check compares index and table).
 */
export function hideFromIndex(path: string, index: string, key: string): void {
  const db = new Database(path, { readonly: true });
  const pages = (db.prepare('SELECT pageno FROM dbstat WHERE name = ?').all(index) as { pageno: number }[]).map((r) => r.pageno);
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  const buf = readFileSync(path);
  const bytes = Buffer.from(key);
  let changed = 0;
  for (const page of pages) {
    const start = (page - 1) * pageSize;
    const at = buf.subarray(start, start + pageSize).indexOf(bytes);
    if (at < 0) continue;
    buf[start + at + bytes.length - 1] = 0x7e; // '~': after every letter and digit
    changed += 1;
  }
  if (changed !== 1) throw new Error(`expected ${key} once in the pages of ${index}, found it ${changed} times`);
  writeFileSync(path, buf);
}
