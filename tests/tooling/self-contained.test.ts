import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` must pass on a fresh clone anywhere: no test, bench, script or module may read a
// file outside the repository (the team's shared folder included), and the README describes
// the repository, not a folder beside it.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ROOTS = ['electron', 'sync', 'renderer', 'tests', 'bench', 'build', '.ci'];
const SKIP = new Set(['node_modules', 'sources', '.native', 'dist', 'dist-electron', 'dist-renderer', 'out']);
const CODE = /\.(ts|tsx|mts|cts|js|cjs|mjs|json)$|^run$/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (CODE.test(name)) yield path;
  }
}

/** A path literal that leaves the repository: absolute into the workplace, or up past its root. */
const OUTSIDE = [/\/work\/(shared|main)\b/, /(\.\.\/){2,}shared\//, /['"`]\.\.\/shared\//];

describe('the repository is self-contained', () => {
  it('has no source, test, bench or script that names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const root of ROOTS) {
      for (const file of files(join(REPO, root))) {
        if (file === fileURLToPath(import.meta.url)) continue;
        const text = readFileSync(file, 'utf8');
        text.split('\n').forEach((line, i) => {
          if (OUTSIDE.some((re) => re.test(line))) offenders.push(`${relative(REPO, file)}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has a README that points only at files inside the repository', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\.\.\/shared|\/work\//);
    for (const [, target] of readme.matchAll(/`((?:docs|build|electron|sync|renderer|tests|bench|assets)\/[\w./-]+)`/g)) {
      // build/.native/ is made by `npm start`; everything else named must exist in a clone.
      if (target?.startsWith('build/.native')) continue;
      expect(() => statSync(join(REPO, target as string)), `${target} named in README.md`).not.toThrow();
    }
  });
});
