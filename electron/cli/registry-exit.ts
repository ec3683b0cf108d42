import type { ConnectionCheck, OutcomeCode } from '../../sync/transport/types';

// Which exit code a failed connection check gives `--check-config`, and what it tells IT to fix.
// The split follows who fixes it: the network in between (proxy, firewall, Wi-Fi sign-in, a
// registry that is down), the account (username, password), or the endpoint settings (URL,
// preset, payload encoding). A proxy or a firewall refusing the request never reached the
// registry's service, so it says nothing about the credentials: calling it "credentials" sends
// IT to reset a password that was fine.

export const REGISTRY_EXIT = { network: 4, credentials: 5, endpoint: 6 } as const;
export type RegistryExitArea = keyof typeof REGISTRY_EXIT;

/** Every transport outcome code, placed: a new code does not compile until it is. */
const AREA: Record<OutcomeCode, RegistryExitArea> = {
  timeout: 'network',
  network: 'network',
  connection_dropped: 'network',
  aborted: 'network',
  request_timeout: 'network',
  tls_untrusted: 'network',
  proxy_auth_required: 'network',
  network_refused: 'network',
  captive_portal: 'network',
  // The registry answered that it cannot take requests now: nothing to fix here but to wait.
  http_error: 'network',
  rate_limited: 'network',
  unavailable: 'network',
  unknown_fault: 'network',
  security_fault: 'credentials',
  http_unauthorized: 'credentials',
  endpoint_misconfigured: 'endpoint',
  unsupported_operation: 'endpoint',
  payload_encoding_mismatch: 'endpoint',
  // Something answers at the URL, but not the registry's web service as configured.
  malformed_response: 'endpoint',
  answer_too_large: 'endpoint',
  http_rejected: 'endpoint',
  message_too_large: 'endpoint',
  unencodable_message: 'endpoint',
};

const WHAT_TO_FIX: Record<RegistryExitArea, string> = {
  network:
    'fix  the network between this computer and the registry (a proxy that wants a sign-in, a firewall or web filter, a Wi-Fi login page, a device inspecting TLS), or wait if the registry is down. The credentials were not checked: nothing reached the registry\'s web service.',
  credentials:
    'fix  the MIIS web-service username and password (entered by an administrator in Settings), or ask the registry help desk whether the account is locked or expired and whether this site\'s network address is allowed.',
  endpoint:
    'fix  the registry endpoint settings: the URL, the preset and the connection options (such as the payload encoding), against the registry\'s onboarding instructions.',
};

export function registryExitArea(check: Extract<ConnectionCheck, { ok: false }>): RegistryExitArea {
  return AREA[check.code] ?? (check.kind === 'auth' ? 'credentials' : 'network');
}

/** The exit code and the line that says what to fix, for a failed check. */
export function registryExit(check: Extract<ConnectionCheck, { ok: false }>): { code: number; fix: string } {
  const area = registryExitArea(check);
  return { code: REGISTRY_EXIT[area], fix: WHAT_TO_FIX[area] };
}

/** Production without an endpoint URL: an endpoint setting, not the network. */
export const MISSING_ENDPOINT_FIX = WHAT_TO_FIX.endpoint;
