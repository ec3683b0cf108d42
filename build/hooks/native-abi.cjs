// Reads which Node ABI a compiled addon (.node) was built for, without loading it.
// A non-N-API addon exports `node_register_module_v<ABI>`; Electron 45 needs ABI 150 while
// Node 20 is 115. docs/environment.md §4: an "Electron rebuild" run through npm on a machine
// without Electron's headers reports success but builds for Node's ABI, so every binary we
// ship is checked here, never trusted because a tool said "Rebuild Complete".
'use strict';

const { readFileSync } = require('node:fs');

/** @returns {{ kind: 'abi', abi: number } | { kind: 'napi' } | { kind: 'unknown' }} */
function readAddonAbi(buffer) {
  const text = buffer.toString('latin1');
  const match = /node_register_module_v(\d+)/.exec(text);
  if (match) return { kind: 'abi', abi: Number(match[1]) };
  if (text.includes('napi_register_module_v1')) return { kind: 'napi' };
  return { kind: 'unknown' };
}

/** Throws with a message IT can act on unless `file` was built for `expectedAbi` (or is N-API). */
function assertAddonAbi(file, expectedAbi, what) {
  const found = readAddonAbi(readFileSync(file));
  if (found.kind === 'napi') return found;
  if (found.kind === 'abi' && found.abi === expectedAbi) return found;
  const got = found.kind === 'abi' ? `ABI ${found.abi}` : 'an unrecognised ABI';
  throw new Error(
    `${what} at ${file} is built for ${got}, but Electron needs ABI ${expectedAbi}. ` +
      'Rebuild it with `npm run build:native` on a machine that can download Electron\'s headers; ' +
      'never ship a native module rebuilt without them (it silently targets Node instead of Electron).',
  );
}

module.exports = { readAddonAbi, assertAddonAbi };
