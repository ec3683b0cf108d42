import { randomFillSync } from 'node:crypto';

// One system call fills a pool that serves hundreds of ids; crypto.randomBytes per id was a
// visible share of recording a dose.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes(n: number): Buffer {
  if (poolOffset + n > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  poolOffset += n;
  return out;
}

// Crockford base32: no I, L, O, U, so a control ID read aloud over the phone is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A UUID version 7 (RFC 9562): 48 bits of milliseconds then random bits. Ids made close in time
 * land side by side in the id indexes, so a million-row table does not write a random index
 * page for every insert the way random (v4) ids would.
 */
export function newRecordId(now: Date = new Date()): string {
  const bytes = randomBytes(16);
  let ms = Math.max(0, Math.floor(now.getTime()));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A message control ID (MSH-10) of exactly 20 characters: 10 for the time in milliseconds (so
 * they sort roughly by creation, helpful in the registry's logs) and 10 for 50 random bits.
 * The outbox column is UNIQUE, so a collision would fail loudly rather than alias two messages.
 */
export function newControlId(now: Date = new Date()): string {
  let t = Math.max(0, Math.floor(now.getTime()));
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(7);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let rand = '';
  for (let i = 0; i < 10; i++) {
    rand += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return time + rand;
}
