import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  cdcStandardPreset,
  createSoapTransport,
  massachusettsPreset,
  type EndpointSettings,
  type SoapTransport,
  type SubmitOutcome,
} from '../../../sync/transport';
import { sampleVxu, startRegistrySimulator, type FaultKind, type RegistrySimulator, type SimulatorOptions } from '../../../sync/sim';

const NOW = () => new Date('2025-10-20T12:00:00Z');
const creds = { facilityId: '10144', username: 'dosedesk', password: 'training' };

let sim: RegistrySimulator;
const transports: SoapTransport[] = [];
const servers: http.Server[] = [];

async function startSim(o: SimulatorOptions = {}): Promise<RegistrySimulator> {
  sim = await startRegistrySimulator({ now: NOW, ...o });
  return sim;
}

function transport(settings: EndpointSettings): SoapTransport {
  const t = createSoapTransport(settings);
  transports.push(t);
  return t;
}

function mass(overrides: Partial<EndpointSettings> = {}): SoapTransport {
  return transport(massachusettsPreset({ url: sim.url, ...creds }, { timeoutMs: 2000, ...overrides }));
}

function msa(o: SubmitOutcome): string {
  if (o.kind !== 'delivered') throw new Error(`expected delivered, got ${o.kind}: ${o.reason}`);
  return o.ackSegments.find((s) => s.startsWith('MSA')) ?? '';
}

/** A fake registry answering every POST with a fixed reply, keeping what it was sent. */
async function cannedServer(status: number, body: string, headers: Record<string, string> = {}) {
  const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: data });
      res.writeHead(status, { 'Content-Type': 'application/soap+xml', ...headers }).end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`, seen };
}

afterEach(async () => {
  for (const t of transports.splice(0)) t.dispose();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await sim?.stop();
});

describe('submitting over loopback HTTP', () => {
  it('delivers a VXU with WS-Security credentials and returns the ACK segments', async () => {
    await startSim({ credentialPlacement: 'wsse' });
    const hl7 = sampleVxu({ controlId: 'C1', doseId: 'D1' });
    const out = await mass().submit(hl7);
    expect(msa(out)).toBe('MSA|AA|C1');
    // &#13; survived the trip: the registry got the exact message with CR segment ends.
    expect(sim.received()[0]?.hl7).toBe(hl7);
    expect(sim.accepted().map((d) => d.fillerOrderId)).toEqual(['D1']);
  });

  it('fails with a SecurityFault when credentials sit where the registry does not look', async () => {
    await startSim({ credentialPlacement: 'wsse' });
    const out = await mass({ credentialPlacement: 'body' }).submit(sampleVxu({ controlId: 'C1', doseId: 'D1' }));
    expect(out).toMatchObject({ kind: 'auth', code: 'security_fault' });
    expect(sim.accepted()).toEqual([]);
    await sim.stop();
    await startSim({ credentialPlacement: 'body' });
    expect(msa(await transport(cdcStandardPreset({ url: sim.url, ...creds })).submit(sampleVxu({ controlId: 'C2', doseId: 'D2' })))).toBe('MSA|AA|C2');
  });

  it('sends Base64 inside BHS/BTS and decodes a Base64 ACK (older MIIS connector)', async () => {
    await startSim({ payloadEncoding: 'base64' });
    const hl7 = sampleVxu({ controlId: 'B64', doseId: 'D1' });
    const out = await mass({ payloadEncoding: 'base64', batchWrap: true }).submit(hl7);
    expect(msa(out)).toBe('MSA|AA|B64');
    expect(sim.received()[0]?.hl7).toBe(hl7);
  });

  it('sends the exact envelope: SOAP 1.2 action, WS-Security header, CRs as &#13;, Base64 when asked', async () => {
    const ack = 'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||ACK^V04^ACK|A1|P|2.5.1\rMSA|AA|C1\r';
    const fake = await cannedServer(200, `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body><submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>${Buffer.from(ack).toString('base64')}</return></submitSingleMessageResponse></Body></Envelope>`);
    const hl7 = sampleVxu({ controlId: 'C1', doseId: 'D1' });
    const plain = await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(hl7);
    expect(plain).toMatchObject({ kind: 'auth', code: 'payload_encoding_mismatch' }); // a Base64 answer to a plain-text client
    const b64 = await transport(massachusettsPreset({ url: fake.url, ...creds }, { payloadEncoding: 'base64' })).submit(hl7);
    expect(msa(b64)).toBe('MSA|AA|C1');
    const [first, second] = fake.seen;
    expect(first?.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="urn:cdc:iisb:2011:submitSingleMessage"');
    expect(first?.body).toContain('<wsse:Username>dosedesk</wsse:Username>');
    expect(first?.body).not.toContain('\r');
    expect(first?.body).toContain('Z22^CDCPHINVS&#13;PID|1||');
    expect(second?.body).toContain(`<urn:hl7Message>${Buffer.from(hl7).toString('base64')}</urn:hl7Message>`);
  });

  it('sends MSH-4 as facilityID when the registry wants them equal', async () => {
    await startSim({ quirks: ['soursop'] });
    const hl7 = sampleVxu({ controlId: 'F1', doseId: 'D1', facility: 'PIN777' });
    expect(msa(await mass({ facilityIdFromMsh4: true }).submit(hl7))).toBe('MSA|AA|F1');
    expect(sim.received()[0]?.facilityId).toBe('PIN777');
    const out = await mass().submit(sampleVxu({ controlId: 'F2', doseId: 'D2', facility: 'PIN777' }));
    expect(msa(out)).toBe('MSA|AE|F2');
    expect(out.kind === 'delivered' && out.ackText).toContain('does not match the facilityID');
  });

  it.each([
    ['cr', 'CR as &#13;'],
    ['lf', 'LF'],
    ['crlf', 'CRLF'],
    ['raw-cr', 'raw CR characters the XML parser turns into LF'],
  ] as const)('splits an ACK whose segments end with %s (%s)', async (ackSegmentEnd, _what) => {
    await startSim({ ackSegmentEnd });
    const out = await mass().submit(sampleVxu({ controlId: 'S1', doseId: 'D1', withoutEligibility: true }));
    expect(out.kind === 'delivered' && out.ackSegments.map((s) => s.slice(0, 3))).toEqual(['MSH', 'MSA', 'ERR']);
  });
});

describe('faults mapped to outcomes', () => {
  const cases: [FaultKind, Partial<SubmitOutcome> & Record<string, unknown>, boolean][] = [
    ['drop', { kind: 'retry', code: 'connection_dropped', maybeDelivered: true }, false],
    ['timeout', { kind: 'retry', code: 'timeout', maybeDelivered: true }, false],
    ['http500', { kind: 'retry', code: 'http_error' }, false],
    ['http503', { kind: 'retry', code: 'unavailable', retryAfterMs: 7000 }, false],
    ['http429', { kind: 'retry', code: 'rate_limited', retryAfterMs: 7000 }, false],
    ['securityFault', { kind: 'auth', code: 'security_fault' }, false],
    ['messageTooLargeFault', { kind: 'needs_person', code: 'message_too_large' }, false],
    ['unknownFault', { kind: 'retry', code: 'unknown_fault', maybeDelivered: true }, false],
    ['unsupportedOperationFault', { kind: 'auth', code: 'unsupported_operation' }, false],
    ['malformedEnvelope', { kind: 'retry', code: 'malformed_response', maybeDelivered: true }, true],
    ['nonHl7Return', { kind: 'retry', code: 'malformed_response' }, true],
    ['lostAck', { kind: 'retry', code: 'connection_dropped', maybeDelivered: true }, true],
  ];

  it.each(cases)('%s → %o (stored by the registry: %s)', async (fault, expected, stored) => {
    await startSim({ faults: { retryAfterSeconds: 7 } });
    sim.failNext(1, fault);
    const t = mass({ timeoutMs: 300 });
    const hl7 = sampleVxu({ controlId: `X-${fault}`, doseId: 'D1' });
    const out = await t.submit(hl7);
    expect(out).toMatchObject(expected);
    expect(out.kind !== 'delivered' && out.reason.length).toBeGreaterThan(40);
    expect(sim.accepted().length).toBe(stored ? 1 : 0);
    expect(sim.received()[0]).toMatchObject({ fault, controlId: `X-${fault}` });
    // The same bytes resent: delivered, and never counted twice.
    const again = await t.submit(hl7);
    expect(msa(again)).toBe(`MSA|AA|X-${fault}`);
    expect(sim.accepted().length).toBe(1);
    expect(sim.stats).toMatchObject({ adds: 1, duplicates: 0, resends: stored ? 1 : 0 });
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const fake = await cannedServer(503, 'down', { 'Retry-After': 'Mon, 20 Oct 2025 12:02:00 GMT' });
    const t = createSoapTransport(massachusettsPreset({ url: fake.url, ...creds }), { now: () => NOW().getTime() });
    transports.push(t);
    expect(await t.submit(sampleVxu({ controlId: 'R', doseId: 'D' }))).toMatchObject({ kind: 'retry', code: 'unavailable', retryAfterMs: 120_000, maybeDelivered: false });
  });

  it.each([
    [401, 'auth', 'http_unauthorized'],
    [404, 'auth', 'endpoint_misconfigured'],
    [413, 'needs_person', 'message_too_large'],
    [400, 'auth', 'network_refused'],
    [409, 'auth', 'network_refused'],
    [502, 'retry', 'http_error'],
  ])('maps HTTP %i without a SOAP envelope to %s/%s', async (status, kind, code) => {
    const fake = await cannedServer(status, '<html>nope</html>');
    expect(await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }))).toMatchObject({ kind, code });
  });

  it('maps HTTP 200 with a body that is neither SOAP nor a web page to a malformed answer', async () => {
    const fake = await cannedServer(200, 'OK');
    expect(await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }))).toMatchObject({ kind: 'retry', code: 'malformed_response' });
  });

  it.each([
    [302, '/soap/v2', 'endpoint_misconfigured'],
    [307, 'https://registry-new.example/soap', 'captive_portal'],
    [301, 'https://registry-new.example/soap', 'endpoint_misconfigured'],
    [308, 'https://registry-new.example/soap', 'endpoint_misconfigured'],
  ])('maps HTTP %i to %s as %s', async (status, location, code) => {
    // The registry moving its own service (same host, or a permanent redirect) is a setting to
    // change; a temporary redirect to another host is something in the network intercepting.
    const fake = await cannedServer(status, '', { Location: location });
    const out = await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }));
    expect(out).toMatchObject({ code });
    if (code === 'endpoint_misconfigured') expect(out.kind !== 'delivered' && out.reason).toContain(new URL(location, fake.url).href);
  });

  it('a redirect without a usable Location is an endpoint problem, never a crash', async () => {
    const variants: Record<string, string>[] = [{}, { Location: 'http://[not-a-host' }];
    for (const headers of variants) {
      const fake = await cannedServer(302, '', headers);
      expect(await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }))).toMatchObject({ kind: 'auth', code: 'endpoint_misconfigured' });
    }
  });

  it('a firewall page without a title, or a 4xx with an empty body, still names the status and the host', async () => {
    for (const body of ['<html><body>denied</body></html>', '']) {
      const fake = await cannedServer(406, body, { 'Content-Type': body ? 'text/html' : 'text/plain' });
      const out = await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }));
      expect(out).toMatchObject({ kind: 'auth', code: 'network_refused' });
      expect(out.kind === 'auth' && out.reason).toContain(`HTTP 406`);
      expect(out.kind === 'auth' && out.reason).toContain(new URL(fake.url).host);
    }
  });

  it('reads the ACK inside a SOAP return whatever the HTTP status', async () => {
    const ack = 'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||ACK^V04^ACK|A1|P|2.5.1\rMSA|AR|H\rERR||PID^1^7|101^Required field missing^HL70357|E\r';
    const fake = await cannedServer(400, `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body><submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>${ack.replace(/&/g, '&amp;').replace(/\r/g, '&#13;')}</return></submitSingleMessageResponse></Body></Envelope>`);
    expect(msa(await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' })))).toBe('MSA|AR|H');
  });

  it('keys off the SOAP fault in the body, not the HTTP status', async () => {
    const fault = '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text>no</e:Text></e:Reason><e:Detail><SecurityFault xmlns="urn:cdc:iisb:2011"><Code>10</Code><Reason>Security</Reason><Detail>Invalid Username or Password</Detail></SecurityFault></e:Detail></e:Fault></e:Body></e:Envelope>';
    const fake = await cannedServer(500, fault);
    const out = await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }));
    expect(out).toMatchObject({ kind: 'auth', code: 'security_fault' });
    expect(out.kind === 'auth' && out.reason).toContain('Invalid Username or Password');
  });

  it('answers 404 for a wrong service path as a configuration problem', async () => {
    await startSim();
    const out = await transport(massachusettsPreset({ url: sim.url.replace('/soap', '/wrong'), ...creds })).submit(sampleVxu({ controlId: 'P', doseId: 'D' }));
    expect(out).toMatchObject({ kind: 'auth', code: 'endpoint_misconfigured' });
  });

  it('reports a refused connection as not delivered', async () => {
    await startSim();
    const url = sim.url;
    await sim.stop();
    const out = await transport(massachusettsPreset({ url, ...creds })).submit(sampleVxu({ controlId: 'N', doseId: 'D' }));
    expect(out).toMatchObject({ kind: 'retry', code: 'network', maybeDelivered: false });
  });

  it('stops when the caller aborts', async () => {
    await startSim();
    sim.failNext(1, 'timeout');
    const controller = new AbortController();
    const pending = mass({ timeoutMs: 30_000 }).submit(sampleVxu({ controlId: 'A', doseId: 'D' }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ kind: 'retry', code: 'aborted', maybeDelivered: true });
  });

  it('returns needs_person for a message XML cannot carry', async () => {
    await startSim();
    expect(await mass().submit('MSH|^~\\&|A\u0002B\r')).toMatchObject({ kind: 'needs_person', code: 'unencodable_message' });
    expect(sim.stats.requests).toBe(0);
  });
});

describe('problems of the site, not of the dose (issue 11 item 4)', () => {
  const host = () => new URL(sim.url).host;

  it.each([
    ['http400', 'network_refused', /HTTP 400.*"Request blocked"/],
    ['http406', 'network_refused', /HTTP 406.*"Not Acceptable"/],
    ['http407', 'proxy_auth_required', /proxy.*HTTP 407/i],
  ] as const)('%s from a device on the network pauses reporting (%s) and names the cause', async (fault, code, cause) => {
    await startSim();
    sim.failNext(1, fault);
    const out = await mass().submit(sampleVxu({ controlId: `S-${fault}`, doseId: 'D1' }));
    expect(out).toMatchObject({ kind: 'auth', code });
    const reason = out.kind === 'auth' ? out.reason : '';
    expect(reason).toMatch(cause);
    expect(reason).toContain(host());
    // Says what to do, and that no dose is at fault or lost.
    expect(reason).toMatch(/IT/);
    expect(reason).toMatch(/not .*any dose|no dose/i);
    expect(sim.accepted()).toEqual([]);
  });

  it('HTTP 408 is a timeout on the way: a link-level retry, not a pause and not a rejection', async () => {
    await startSim();
    sim.failNext(1, 'http408');
    const out = await mass().submit(sampleVxu({ controlId: 'T408', doseId: 'D1' }));
    expect(out).toMatchObject({ kind: 'retry', code: 'request_timeout', maybeDelivered: false });
    expect(out.kind === 'retry' && out.reason).toContain(host());
  });
});

describe('a captive portal: the network is not really up (issue 11 item 5)', () => {
  it.each(['captivePortalRedirect', 'captivePortalPage'] as const)('%s is a retry that asks to sign in to the network', async (fault) => {
    await startSim();
    sim.failNext(1, fault);
    const t = mass();
    const hl7 = sampleVxu({ controlId: `W-${fault}`, doseId: 'D1' });
    const out = await t.submit(hl7);
    expect(out).toMatchObject({ kind: 'retry', code: 'captive_portal', maybeDelivered: false });
    const reason = out.kind === 'retry' ? out.reason : '';
    expect(reason).toMatch(/sign in to the network/i);
    expect(reason).toContain(new URL(sim.url).host);
    if (fault === 'captivePortalRedirect') expect(reason).toContain('login.guest-wifi.example');
    expect(sim.accepted()).toEqual([]);
    // Signed in: the same bytes go through, with nothing changed in the settings.
    expect(msa(await t.submit(hl7))).toBe(`MSA|AA|W-${fault}`);
  });

  it('Test connection behind a captive portal says to sign in, not that the settings are wrong', async () => {
    await startSim({ connectivityTestSupported: false });
    sim.failNext(1, 'captivePortalPage');
    const check = await mass().checkConnection();
    expect(check).toMatchObject({ ok: false, kind: 'retry', code: 'captive_portal' });
    expect(await mass().checkConnection()).toMatchObject({ ok: true });
  });

  it('an HTML page with HTTP 200 is recognised by its content even when labelled as SOAP', async () => {
    const fake = await cannedServer(200, '\n<!doctype html><html><head><title>Hotel WiFi</title></head><body>Log in</body></html>');
    const out = await transport(massachusettsPreset({ url: fake.url, ...creds })).submit(sampleVxu({ controlId: 'H', doseId: 'D' }));
    expect(out).toMatchObject({ kind: 'retry', code: 'captive_portal' });
    expect(out.kind === 'retry' && out.reason).toContain('"Hotel WiFi"');
  });
});

describe('answers that are not what was asked for (issue 11 item 17)', () => {
  it('an answer over 10 MiB is its own outcome, not a broken connection, and says the dose may be recorded', async () => {
    await startSim();
    sim.failNext(1, 'oversizedAnswer');
    const t = mass();
    const hl7 = sampleVxu({ controlId: 'BIG', doseId: 'D1' });
    const out = await t.submit(hl7);
    expect(out).toMatchObject({ kind: 'retry', code: 'answer_too_large', maybeDelivered: true });
    const reason = out.kind === 'retry' ? out.reason : '';
    expect(reason).toContain(new URL(sim.url).host);
    expect(reason).toMatch(/10 MiB/);
    expect(reason).toMatch(/same message ID/);
    // The registry stored it; the resend is answered from its memory of MSH-10.
    expect(sim.accepted()).toHaveLength(1);
    expect(msa(await t.submit(hl7))).toBe('MSA|AA|BIG');
    expect(sim.stats).toMatchObject({ adds: 1, resends: 1 });
  });

  it('an answer announced as over 10 MiB is refused at once, before a slow link turns it into a timeout', async () => {
    // Headers promising 20 MiB, then a trickle that never finishes: reading it would only end
    // in the timeout, which would count as an outage ("Offline") instead of this message's problem.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/soap+xml', 'Content-Length': String(20 * 1024 * 1024) });
        res.write('<Envelope>');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
    const out = await transport(massachusettsPreset({ url, ...creds }, { timeoutMs: 5000 })).submit(sampleVxu({ controlId: 'SLOW', doseId: 'D1' }));
    expect(out).toMatchObject({ kind: 'retry', code: 'answer_too_large', maybeDelivered: true });
  });

  it('an answer over 10 MiB without a Content-Length (chunked) is stopped at the limit', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          // Bounded: 12 MiB at most, and nothing more once the client has hung up.
          while (sent < 12 && !res.destroyed) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
    expect(await transport(massachusettsPreset({ url, ...creds }, { timeoutMs: 5000 })).submit(sampleVxu({ controlId: 'CHUNK', doseId: 'D1' }))).toMatchObject({ kind: 'retry', code: 'answer_too_large' });
  });

  it('an answer just under the limit is still read', async () => {
    await startSim({ faults: { oversizedAnswerBytes: 9 * 1024 * 1024 } });
    sim.failNext(1, 'oversizedAnswer');
    expect(msa(await mass().submit(sampleVxu({ controlId: 'NEAR', doseId: 'D1' })))).toBe('MSA|AA|NEAR');
  });

  it('a Base64 ACK to a plain-text client pauses reporting and points at the payload-encoding setting', async () => {
    await startSim({ payloadEncoding: 'base64' });
    const hl7 = sampleVxu({ controlId: 'ENC', doseId: 'D1' });
    const out = await mass().submit(hl7);
    expect(out).toMatchObject({ kind: 'auth', code: 'payload_encoding_mismatch' });
    const reason = out.kind === 'auth' ? out.reason : '';
    expect(reason).toContain(new URL(sim.url).host);
    expect(reason).toMatch(/Base64/);
    expect(reason).toMatch(/payload encoding/i);
    // Fixing the setting is all it takes: the registry answers the same MSH-10 from memory.
    expect(msa(await mass({ payloadEncoding: 'base64' }).submit(hl7))).toBe('MSA|AA|ENC');
  });

  it('a plain ACK to a Base64 client is still read (registries that decode Base64 but answer plain)', async () => {
    const ack = 'MSH|^~\\&amp;|MIIS|99990|DoseDesk|10144|20251015||ACK^V04^ACK|A1|P|2.5.1&#13;MSA|AA|P64&#13;';
    const fake = await cannedServer(200, `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body><submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>${ack}</return></submitSingleMessageResponse></Body></Envelope>`);
    const out = await transport(massachusettsPreset({ url: fake.url, ...creds }, { payloadEncoding: 'base64' })).submit(sampleVxu({ controlId: 'P64', doseId: 'D1' }));
    expect(msa(out)).toBe('MSA|AA|P64');
  });
});

describe('TLS', () => {
  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasOpenssl)('refuses a registry whose certificate cannot be verified (openssl needed to make one)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dosedesk-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      let hits = 0;
      const server = https.createServer({ key: readFileSync(path.join(dir, 'k.pem')), cert: readFileSync(path.join(dir, 'c.pem')) }, (_req, res) => {
        hits++;
        res.end('should never be reached');
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `https://localhost:${(server.address() as AddressInfo).port}/soap`;
      const out = await transport(massachusettsPreset({ url, ...creds })).submit(sampleVxu({ controlId: 'T', doseId: 'D' }));
      expect(out).toMatchObject({ kind: 'auth', code: 'tls_untrusted' });
      expect(hits).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkConnection', () => {
  it('proves MIIS credentials without connectivityTest and without reporting a dose', async () => {
    await startSim({ connectivityTestSupported: false, credentialPlacement: 'wsse' });
    const check = await mass().checkConnection();
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.detail).toContain('accepted the credentials');
    expect(sim.stats.connectivityTests).toBe(0);
    expect(sim.accepted()).toEqual([]);
    expect(sim.received()[0]?.ackCode).toBe('AR');
  });

  it('gives every probe its own MSH-10 of at most 20 characters, even two in the same second', async () => {
    await startSim({ connectivityTestSupported: false });
    // A frozen clock: both probes are built in the same second.
    const t = createSoapTransport(massachusettsPreset({ url: sim.url, ...creds }), { now: () => NOW().getTime() });
    transports.push(t);
    expect(await t.checkConnection()).toMatchObject({ ok: true });
    expect(await t.checkConnection()).toMatchObject({ ok: true });
    const ids = sim.received().map((r) => r.controlId ?? '');
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      // NIST/IIS practice (docs/domain.md §1.2) keeps MSH-10 to 20 characters; the dash keeps a
      // probe's id apart from every dose's (20 base32 characters, no dash).
      expect(id.length).toBeLessThanOrEqual(20);
      expect(id).toMatch(/^PROBE-[0-9A-Z]+$/);
    }
  });

  it('reports bad credentials as a stop-and-alert outcome', async () => {
    await startSim({ connectivityTestSupported: false });
    expect(await mass({ password: 'wrong' }).checkConnection()).toMatchObject({ ok: false, kind: 'auth', code: 'security_fault' });
  });

  it('uses connectivityTest where supported, then checks the credentials', async () => {
    await startSim();
    const check = await transport(cdcStandardPreset({ url: sim.url, ...creds })).checkConnection();
    expect(check.ok && check.detail).toContain('connectivityTest answered');
    expect(sim.stats.connectivityTests).toBe(1);
    expect(sim.stats.submits).toBe(1);
  });

  it('falls back to the probe and says so when connectivityTest turns out unsupported', async () => {
    await startSim({ connectivityTestSupported: false });
    const check = await transport(cdcStandardPreset({ url: sim.url, ...creds })).checkConnection();
    expect(check.ok && check.detail).toContain('does not support connectivityTest');
  });

  it('does not call a registry that answers UnknownFault healthy', async () => {
    await startSim({ connectivityTestSupported: false });
    sim.failNext(1, 'unknownFault');
    expect(await mass().checkConnection()).toMatchObject({ ok: false, kind: 'retry', code: 'unknown_fault' });
  });

  it('reports an unreachable registry', async () => {
    await startSim();
    const url = sim.url;
    await sim.stop();
    expect(await transport(massachusettsPreset({ url, ...creds })).checkConnection()).toMatchObject({ ok: false, kind: 'retry', code: 'network' });
  });
});
