import { z } from 'zod';

// Per-endpoint transport settings. Registries implement the same CDC contract differently
// (docs/domain.md §2.3, §3.2), so every difference is a switch here, never a constant in code.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Returns why the URL cannot be used, or null. TLS is mandatory off this machine: PHI never
 * travels in clear text, and plain http is allowed only for the local simulator.
 */
export function endpointUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The registry endpoint "${url}" is not a valid URL; copy it exactly from the registry's onboarding instructions (it starts with https://).`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return null;
  if (parsed.protocol === 'http:') {
    return `The registry endpoint ${parsed.origin} uses plain http. Patient data may only be sent over https with a verified certificate; use the https:// address the registry gave you.`;
  }
  return `The registry endpoint uses "${parsed.protocol}", which is not supported; use the https:// address the registry gave you.`;
}

export const EndpointSettingsSchema = z
  .object({
    /** The service URL from registry onboarding (e.g. MIIS's CDCService address). */
    url: z.string().min(1),
    /** The site's registry-assigned id, sent as `facilityID` (for MIIS: the Vaccine PIN / org code). */
    facilityId: z.string(),
    username: z.string(),
    password: z.string(),
    /** 'wsse': WS-Security UsernameToken in the SOAP header (MIIS); 'body': the WSDL's username/password elements. */
    credentialPlacement: z.enum(['wsse', 'body']),
    /** 'base64': the older MIIS connector Base64-encoded hl7Message and the returned ACK. */
    payloadEncoding: z.enum(['plain', 'base64']),
    /** Wrap each message in BHS … BTS batch segments (older MIIS connector). */
    batchWrap: z.boolean(),
    /** Send MSH-4 of each message as facilityID instead of `facilityId` (IIS that require them equal). */
    facilityIdFromMsh4: z.boolean(),
    /** MIIS answers connectivityTest with a fault; then the connection check uses a harmless probe. */
    connectivityTestSupported: z.boolean(),
    /** Hard limit for one request, from connect to last byte of the answer. */
    timeoutMs: z.number().int().min(50).max(600_000),
    soapVersion: z.literal('1.2'),
  })
  .superRefine((s, ctx) => {
    const problem = endpointUrlProblem(s.url);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
  });

export type EndpointSettings = z.infer<typeof EndpointSettingsSchema>;

/** What registry onboarding hands a site: the rest comes from a preset. */
export interface SiteCredentials {
  url: string;
  facilityId: string;
  username: string;
  password: string;
}

/** The plain CDC 2011 WSDL as written: credentials in the body, connectivityTest available. */
export function cdcStandardPreset(site: SiteCredentials, overrides: Partial<EndpointSettings> = {}): EndpointSettings {
  return parseEndpointSettings({
    ...site,
    credentialPlacement: 'body',
    payloadEncoding: 'plain',
    batchWrap: false,
    facilityIdFromMsh4: false,
    connectivityTestSupported: true,
    timeoutMs: 30_000,
    soapVersion: '1.2',
    ...overrides,
  });
}

/**
 * MIIS as its 2020 connector talks to it (docs/domain.md §3.2): WS-Security UsernameToken, plain
 * HL7 text, no batch wrapping, connectivityTest not supported.
 */
export function massachusettsPreset(site: SiteCredentials, overrides: Partial<EndpointSettings> = {}): EndpointSettings {
  return parseEndpointSettings({
    ...site,
    credentialPlacement: 'wsse',
    payloadEncoding: 'plain',
    batchWrap: false,
    facilityIdFromMsh4: false,
    connectivityTestSupported: false,
    timeoutMs: 30_000,
    soapVersion: '1.2',
    ...overrides,
  });
}

export class EndpointSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`The registry connection settings cannot be used: ${problems.join(' ')}`);
    this.name = 'EndpointSettingsError';
  }
}

/** Validates settings from the settings screen or IT's machine-wide file; throws with every problem listed. */
export function parseEndpointSettings(input: unknown): EndpointSettings {
  const result = EndpointSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  throw new EndpointSettingsError(
    result.error.issues.map((i) => (i.code === 'custom' ? i.message : `${i.path.join('.') || 'settings'}: ${i.message}.`)),
  );
}
