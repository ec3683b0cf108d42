// A pause is a problem of the site, not of a dose (credentials, certificate, endpoint, a proxy or
// firewall in between, the site's registry configuration): every dose keeps waiting. Most such
// problems are fixed outside DoseDesk (IT repairs the proxy, the registry activates the facility),
// so a paused engine probes with one message now and then and resumes on its own. A refused
// username or password is the exception: retrying it blindly can lock the registry account
// (docs/domain.md §2.3), so that pause waits for a person (Send now, or new settings).

const WAITS_FOR_A_PERSON: ReadonlySet<string> = new Set(['security_fault', 'http_unauthorized']);

/** Whether a pause with this code is probed for on its own, or waits for a person. */
export function probesWhilePaused(code: string): boolean {
  return !WAITS_FOR_A_PERSON.has(code);
}
