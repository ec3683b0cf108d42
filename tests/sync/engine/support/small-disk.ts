import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './world';

// A real, tiny file system (tmpfs) that a test can fill to the last byte and then free again.
// Mounting needs root on Linux; elsewhere the tests that need it skip and say why.

export function canMountTmpfs(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'tmpfs mounts need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'mounting a tmpfs needs root' };
  const probe = tempDir('dosedesk-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir], { stdio: 'pipe' });
    execFileSync('umount', [probe.dir], { stdio: 'pipe' });
    return { ok: true, reason: '' };
  } catch (e) {
    return { ok: false, reason: `mount failed: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    probe.cleanup();
  }
}

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk refuses (bounded). */
  fill(): void;
  /** Empties the filler file. */
  free(): void;
  unmount(): void;
}

export function smallDisk(sizeBytes: number): SmallDisk {
  const tmp = tempDir('dosedesk-small-disk-');
  const dir = join(tmp.dir, 'mnt');
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4 * 1024, 1);
      try {
        for (let i = 0; i < Math.ceil(sizeBytes / chunk.length) + 1; i++) writeSync(fd, chunk);
      } catch {
        // ENOSPC: the disk is full, which is the point.
      } finally {
        closeSync(fd);
      }
    },
    free() {
      truncateSync(filler, 0);
    },
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } finally {
        tmp.cleanup();
      }
    },
  };
}
