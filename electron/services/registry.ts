import type { ConnectionCheckResult, SettingsValues } from '../api';
import type { ConnectionCheck } from '../../sync/transport/types';
import { EndpointSettingsError, cdcStandardPreset, massachusettsPreset, type EndpointSettings } from '../../sync/transport/settings';
import { createSoapTransport } from '../../sync/transport/soap-transport';
import type { RegistryCredentials, StoredCredentials } from './credentials';
import { ApiFailure } from './errors';

// The production registry connection: its settings come from the effective settings (IT's file
// or the administrator) plus the credentials kept with safeStorage. Checking it never reports a
// dose: `connectivityTest` where the endpoint supports it, otherwise the transport's harmless probe.

export type CheckConnection = (endpoint: EndpointSettings) => Promise<ConnectionCheck>;

/** The real check: a SOAP transport used once and closed, so no keep-alive connection lingers. */
export const checkEndpoint: CheckConnection = async (endpoint) => {
  const transport = createSoapTransport(endpoint);
  try {
    return await transport.checkConnection();
  } finally {
    transport.dispose();
  }
};

/**
 * Everything `productionEndpoint` depends on, without decrypting: the registry settings and the
 * stored ciphertext. Reporting rebuilds its transport only when this changes.
 */
export function productionConfigurationKey(values: SettingsValues, stored: StoredCredentials | undefined): string {
  return JSON.stringify([values['registry.preset'], values['registry.endpointUrl'], values['registry.vaccinePin'], values['registry.facilityId'], stored?.username ?? null, stored?.cipher ?? null]);
}

export function productionEndpoint(values: SettingsValues, credentials: RegistryCredentials | undefined): EndpointSettings {
  const missing: string[] = [];
  if (!values['registry.endpointUrl']) missing.push('the registry address (registry.endpointUrl)');
  if (!values['registry.vaccinePin'] && !values['registry.facilityId']) missing.push('the MIIS Vaccine PIN (registry.vaccinePin)');
  if (!credentials) missing.push('the MIIS web-service user name and password');
  if (missing.length || !credentials) {
    throw new ApiFailure('conflict', `Production reporting needs ${missing.join(', ')}. Enter them in Settings, or ask IT to set them in the machine configuration.`, {
      code: 'registry.not_configured',
    });
  }
  const site = {
    url: values['registry.endpointUrl'],
    // MIIS identifies the site by its Vaccine PIN in facilityID (docs/domain.md §3.2).
    facilityId: values['registry.vaccinePin'] || values['registry.facilityId'],
    username: credentials.username,
    password: credentials.password,
  };
  try {
    return values['registry.preset'] === 'massachusetts' ? massachusettsPreset(site) : cdcStandardPreset(site);
  } catch (err) {
    if (err instanceof EndpointSettingsError) {
      throw new ApiFailure('validation', err.message, {
        code: 'registry.endpoint_invalid',
        issues: err.problems.map((message) => ({ path: 'settings.registry.endpointUrl', message, code: 'registry.endpoint_invalid' })),
      });
    }
    throw err;
  }
}

export async function runConnectionCheck(check: CheckConnection, endpoint: EndpointSettings, now: () => Date): Promise<ConnectionCheckResult> {
  const method = endpoint.connectivityTestSupported ? 'connectivityTest' : 'probe';
  const host = safeHost(endpoint.url);
  let result: ConnectionCheck;
  try {
    result = await check(endpoint);
  } catch (err) {
    const detail = (err as Error).message;
    result = { ok: false, kind: 'retry', code: 'network', reason: `The check could not run: ${detail}`, params: { host, error: detail } };
  }
  const out: ConnectionCheckResult = {
    ok: result.ok,
    method,
    endpoint: host,
    detail: result.ok ? result.detail : result.reason,
    checkedAt: now().toISOString(),
  };
  if (!result.ok) {
    out.code = result.code;
    if (result.params) out.params = result.params;
  }
  return out;
}

function safeHost(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
