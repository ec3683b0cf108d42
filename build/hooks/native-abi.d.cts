export type AddonAbi = { kind: 'abi'; abi: number } | { kind: 'napi' } | { kind: 'unknown' };
export function readAddonAbi(buffer: Buffer): AddonAbi;
export function assertAddonAbi(file: string, expectedAbi: number, what: string): AddonAbi;
