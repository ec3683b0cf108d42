import { randomBytes } from 'node:crypto';

// MSH-10 for a connection probe. A registry that remembers control IDs answers a repeated one
// with its earlier ACK, so two probes sharing an id would let the second "pass" on the first
// one's answer; the id is therefore random, never derived from the clock.

// Crockford base32 (no I, L, O, U), as the outbox's control IDs use, so IT can read one aloud.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'PROBE-';
/** docs/domain.md §1.2: IIS truncate or reject MSH-10 beyond 20 characters. */
export const MAX_CONTROL_ID_LENGTH = 20;
const RANDOM_CHARS = MAX_CONTROL_ID_LENGTH - PREFIX.length;

/** `PROBE-` and 14 random base32 characters (70 bits). The dash keeps it apart from dose IDs. */
export function newProbeControlId(): string {
  const bytes = randomBytes(RANDOM_CHARS);
  let id = PREFIX;
  // One byte per character, 5 of its 8 bits: uniform, since 256 is a multiple of 32.
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}
