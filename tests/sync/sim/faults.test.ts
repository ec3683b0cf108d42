import http from 'node:http';
import { sampleVxu, startRegistrySimulator, type FaultKind, type RegistrySimulator, type SimulatorOptions } from '../../../sync/sim';
import { CAPTIVE_PORTAL_LOGIN_URL } from '../../../sync/sim/simulator';
import { buildSubmitSingleMessageRequest, parseSoapResponse, soapContentType, splitSegments } from '../../../sync/transport';
import { FIXED_NOW } from './helpers';

// The faults a site's network and a registry really produce, as the simulator serves them over
// raw HTTP (no DoseDesk transport in between), so the transport's tests can rely on them.

let sim: RegistrySimulator;
afterEach(async () => {
  await sim?.stop();
});

async function start(o: SimulatorOptions = {}): Promise<RegistrySimulator> {
  sim = await startRegistrySimulator({ now: FIXED_NOW, ...o });
  return sim;
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bytes: number;
}

/** One SOAP submitSingleMessage over plain node:http: no redirects followed, no size limit. */
function post(url: string, hl7: string): Promise<RawAnswer> {
  const envelope = buildSubmitSingleMessageRequest({ username: 'dosedesk', password: 'training', facilityId: '10144', hl7Message: hl7, credentialPlacement: 'body' });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': soapContentType('submitSingleMessage') } }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        // Keep the start only: enough to read the envelope, not 11 MiB of padding.
        if (bytes <= 64 * 1024) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(envelope);
  });
}

function msaOf(answer: RawAnswer): string {
  const parsed = parseSoapResponse(answer.body);
  if (parsed.kind !== 'return') throw new Error(`expected a return, got ${parsed.kind}`);
  return splitSegments(parsed.text).find((s) => s.startsWith('MSA')) ?? '';
}

describe('faults of the network between DoseDesk and the registry', () => {
  const cases: [FaultKind, number, RegExp][] = [
    ['http400', 400, /blocked/],
    ['http406', 406, /Not Acceptable/],
    ['http407', 407, /Proxy Authentication Required/],
    ['http408', 408, /Timeout/],
    ['captivePortalPage', 200, /Guest Wi-Fi/],
    ['captivePortalRedirect', 302, /login page/],
  ];

  it.each(cases)('%s answers HTTP %i with an HTML page and processes nothing', async (fault, status, text) => {
    await start();
    sim.failNext(1, fault);
    const answer = await post(sim.url, sampleVxu({ controlId: 'N1', doseId: 'D1' }));
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toMatch(text);
    expect(parseSoapResponse(answer.body).kind).toBe('malformed');
    expect(sim.accepted()).toEqual([]);
    expect(sim.received()[0]).toMatchObject({ fault, outcome: 'faulted', controlId: 'N1' });
    // The next request gets through as if the device had let it pass.
    expect(msaOf(await post(sim.url, sampleVxu({ controlId: 'N1', doseId: 'D1' })))).toBe('MSA|AA|N1');
  });

  it('a proxy asking for a sign-in says how (Proxy-Authenticate)', async () => {
    await start();
    sim.failNext(1, 'http407');
    expect((await post(sim.url, sampleVxu({ controlId: 'P1', doseId: 'D1' }))).headers['proxy-authenticate']).toBe('Basic realm="clinic-proxy"');
  });

  it('a captive portal redirects to a login page on another host, naming where the request was going', async () => {
    await start();
    sim.failNext(1, 'captivePortalRedirect');
    const location = (await post(sim.url, sampleVxu({ controlId: 'W1', doseId: 'D1' }))).headers.location ?? '';
    expect(location.startsWith(`${CAPTIVE_PORTAL_LOGIN_URL}?continue=`)).toBe(true);
    expect(new URL(location).host).not.toBe(new URL(sim.url).host);
  });
});

describe('answers a registry gives after storing the message', () => {
  it('commitAck stores the dose but answers only CA; the resend gets the application ACK', async () => {
    await start();
    sim.failNext(1, 'commitAck');
    const hl7 = sampleVxu({ controlId: 'CA1', doseId: 'D1' });
    const first = await post(sim.url, hl7);
    expect(msaOf(first)).toBe('MSA|CA|CA1');
    expect(sim.accepted()).toHaveLength(1);
    expect(msaOf(await post(sim.url, hl7))).toBe('MSA|AA|CA1');
    expect(sim.stats).toMatchObject({ adds: 1, resends: 1 });
  });

  it('oversizedAnswer stores the dose and sends more than 10 MiB', async () => {
    await start();
    sim.failNext(1, 'oversizedAnswer');
    const answer = await post(sim.url, sampleVxu({ controlId: 'BIG', doseId: 'D1' }));
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(Number(answer.headers['content-length'])).toBe(answer.bytes);
    expect(sim.accepted()).toHaveLength(1);
  });

  it('the size of an oversized answer can be set', async () => {
    await start({ faults: { oversizedAnswerBytes: 200_000 } });
    sim.failNext(1, 'oversizedAnswer');
    expect((await post(sim.url, sampleVxu({ controlId: 'BIG', doseId: 'D1' }))).bytes).toBe(200_000);
  });
});

describe('registered sending facilities', () => {
  it('refuses a message from an unregistered MSH-4 with AR and an ERR on MSH-4, and stores nothing', async () => {
    await start({ registeredFacilities: ['PIN1001'] });
    const answer = await post(sim.url, sampleVxu({ controlId: 'F1', doseId: 'D1', facility: 'PIN9999' }));
    const ack = parseSoapResponse(answer.body);
    expect(ack.kind === 'return' && splitSegments(ack.text).slice(1)).toEqual([
      'MSA|AR|F1',
      expect.stringMatching(/^ERR\|\|MSH\^1\^4\|204\^Unknown key identifier\^HL70357\|E\|3\^.*\|\|\|Sending facility "PIN9999" \(MSH-4\) is not registered/),
    ]);
    expect(sim.accepted()).toEqual([]);
  });

  it('accepts the same message once the facility is registered (the AR was not remembered)', async () => {
    await start({ registeredFacilities: [] });
    const hl7 = sampleVxu({ controlId: 'F2', doseId: 'D1', facility: 'PIN1001' });
    expect(msaOf(await post(sim.url, hl7))).toBe('MSA|AR|F2');
    sim.setRegisteredFacilities(['PIN1001']);
    expect(msaOf(await post(sim.url, hl7))).toBe('MSA|AA|F2');
    sim.setRegisteredFacilities(undefined);
    expect(msaOf(await post(sim.url, sampleVxu({ controlId: 'F3', doseId: 'D2', facility: 'ANY' })))).toBe('MSA|AA|F3');
  });
});

describe('registered administering locations', () => {
  it('drops a dose given at a location the organization has not registered (AE on RXA-11), keeping the patient, and files one given at a registered one', async () => {
    await start({ registeredLocations: ['10144'] });
    const elsewhere = await post(sim.url, sampleVxu({ controlId: 'L1', doseId: 'D1', facility: '10144' }).replace('|^^^10144||', '|^^^CLINIC-9||'));
    const ack = parseSoapResponse(elsewhere.body);
    expect(ack.kind === 'return' && splitSegments(ack.text).slice(1)).toEqual([
      'MSA|AE|L1',
      expect.stringMatching(/^ERR\|\|RXA\^1\^11\|103\^.*\|E\|5\^.*\|\|\|RXA-11 administered-at location "CLINIC-9" is not a facility registered for this organization/),
    ]);
    expect(sim.accepted()).toEqual([]);
    expect(msaOf(await post(sim.url, sampleVxu({ controlId: 'L2', doseId: 'D1', facility: '10144' })))).toBe('MSA|AA|L2');
    expect(sim.accepted().map((d) => d.fillerOrderId.split('^')[0])).toEqual(['D1']);
  });
});
