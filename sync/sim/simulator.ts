import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type AckCode } from '../hl7';
import { batchUnwrap, fromBase64IfEncoded, splitSegments, toBase64 } from '../transport/hl7-payload';
import { type CdcFaultType } from '../transport/soap-envelope';
import { FaultPlan, type FaultKind, type FaultSettings } from './faults';
import { VxuProcessor } from './process-vxu';
import { type QuirkName } from './quirks';
import { QueryResponder, isQueryMessage } from './query-responder';
import { type SeededPatient } from './query-history';
import { MessageRecorder } from './recorder';
import { RegistryStore, type StoreStats, type StoredDose } from './registry-store';
import { buildFaultEnvelope, buildReturnEnvelope, faultHttpStatus, parseSoapRequest, type SoapRequest } from './soap-messages';

// A registry on 127.0.0.1 speaking the CDC IIS 2011 SOAP service: checks credentials and each
// VXU, keeps what it accepted, answers real ACKs, and fails on demand. Used by tests, benchmarks
// and the app's training mode.

export interface SimulatorUser {
  username: string;
  password: string;
  /** When set, the facilityIDs this account may submit for (others get a SecurityFault). */
  facilityIds?: string[];
}

export interface SimulatorOptions {
  /** Default 127.0.0.1; the simulator is not meant to be reachable from other machines. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Service path, default `/soap` (as AIRA's IIS Sandbox). Other paths answer 404. */
  path?: string;
  /** Default: one user `dosedesk` / `training`. */
  users?: SimulatorUser[];
  /** Where credentials must be: 'wsse' (MIIS), 'body' (plain WSDL) or 'either' (default). */
  credentialPlacement?: 'wsse' | 'body' | 'either';
  /** 'base64': hl7Message and return are Base64 (older MIIS connector). Default 'plain'. */
  payloadEncoding?: 'plain' | 'base64';
  /** Default true; false answers UnsupportedOperationFault, as MIIS does. */
  connectivityTestSupported?: boolean;
  quirks?: QuirkName[];
  faults?: FaultSettings;
  /** Write every received HL7 message to a file in this folder. */
  recordDir?: string;
  /** ACK code when the only findings are warnings. Default 'AE' (IIS Sandbox behaviour). */
  warningsAs?: 'AE' | 'AA';
  /** Segment ends in returned ACKs: CR sent as &#13; (default), LF, CRLF, or raw CR characters in the XML. */
  ackSegmentEnd?: 'cr' | 'lf' | 'crlf' | 'raw-cr';
  /** Largest hl7Message accepted before a MessageTooLargeFault; default 64 KiB. */
  maxMessageBytes?: number;
  /**
   * When set, the only MSH-4 sending facilities (org code / Vaccine PIN) the registry knows; a
   * message from any other is refused with an AR whose ERR points at MSH-4. Default: any.
   */
  registeredFacilities?: string[];
  /**
   * When set, the only administering locations (RXA-11.4, the site's facility id) the registry
   * knows for the organization; a dose given at any other is not recorded (AE on RXA-11, that
   * dose only). Default: any.
   */
  registeredLocations?: string[];
  /** Clock for date rules and ACK timestamps. */
  now?: () => Date;
  /** The history of patients other providers reported, answered to QBP queries (default: the seeded set; [] for none). */
  history?: readonly SeededPatient[];
}

export interface ReceivedMessage {
  seq: number;
  receivedAt: string;
  operation: SoapRequest['operation'];
  facilityId?: string;
  /** The decoded HL7 message, after Base64 and BHS/BTS unwrapping. */
  hl7?: string;
  controlId?: string;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
  /** What the registry did: processed, returned an earlier ACK, or refused before processing. */
  outcome: 'processed' | 'resend' | 'refused' | 'faulted';
  ackCode?: AckCode;
}

export interface SimulatorStats extends StoreStats {
  requests: number;
  submits: number;
  connectivityTests: number;
  /** Messages checked and acknowledged for the first time. */
  processed: number;
  /** Resent MSH-10s answered with their earlier ACK. */
  resends: number;
  /** Resent MSH-10s whose content differed from the first message. */
  controlIdConflicts: number;
  securityRejections: number;
  acks: Record<'AA' | 'AE' | 'AR', number>;
  faults: Partial<Record<FaultKind, number>>;
}

export interface RegistrySimulator {
  /** The service URL to put in the endpoint settings, e.g. `http://127.0.0.1:40123/soap`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Doses currently held (after updates and deletes). */
  accepted(): StoredDose[];
  /** Every request received, in order. */
  received(): ReceivedMessage[];
  /** Replaces the fault rates (and reseeds). */
  setFaults(faults: FaultSettings): void;
  /** The next `count` requests fail with `kind`. */
  failNext(count: number, kind: FaultKind): void;
  setQuirks(quirks: QuirkName[]): void;
  /** Replaces the registered sending facilities; undefined accepts any again. */
  setRegisteredFacilities(facilities: string[] | undefined): void;
  readonly stats: SimulatorStats;
  /** Forgets stored doses, remembered ACKs, received messages, counters and queued faults (rates stay). */
  reset(): void;
  stop(): Promise<void>;
}

/** The account the simulator accepts unless told otherwise (training mode uses it). */
export const DEFAULT_SIMULATOR_USER: Readonly<SimulatorUser> = Object.freeze({ username: 'dosedesk', password: 'training' });

const INJECTED_SOAP_FAULTS: Record<'securityFault' | 'messageTooLargeFault' | 'unknownFault' | 'unsupportedOperationFault', CdcFaultType> = {
  securityFault: 'SecurityFault',
  messageTooLargeFault: 'MessageTooLargeFault',
  unknownFault: 'UnknownFault',
  unsupportedOperationFault: 'UnsupportedOperationFault',
};

const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type NetworkDeviceFault = 'http400' | 'http406' | 'http407' | 'http408' | 'captivePortalRedirect' | 'captivePortalPage';

/**
 * Answers as a device between DoseDesk and the registry would: a firewall, a proxy or a guest
 * Wi-Fi login page. None of them speaks SOAP, so none of these bodies is a SOAP envelope.
 */
function sendNetworkDeviceAnswer(res: http.ServerResponse, fault: NetworkDeviceFault, requestedHost: string): void {
  const html = (title: string, text: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
  const send = (status: number, body: string, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers }).end(body);
  switch (fault) {
    case 'http400':
      send(400, html('Request blocked', 'The request was blocked by the network security policy. Reference #18.2f4e1c.'));
      return;
    case 'http406':
      send(406, html('Not Acceptable', 'An appropriate representation of the requested resource could not be found.'));
      return;
    case 'http407':
      send(407, html('Proxy Authentication Required', 'Sign in to the web proxy to continue.'), { 'Proxy-Authenticate': 'Basic realm="clinic-proxy"' });
      return;
    case 'http408':
      send(408, html('Request Timeout', 'The server timed out waiting for the request.'));
      return;
    case 'captivePortalRedirect': {
      const back = encodeURIComponent(`http://${requestedHost}/`);
      send(302, html('Sign in', 'Redirecting to the network login page.'), { Location: `${CAPTIVE_PORTAL_LOGIN_URL}?continue=${back}` });
      return;
    }
    case 'captivePortalPage':
      send(200, html('Welcome to Guest Wi-Fi', 'Accept the terms of use to connect to the internet.'));
      return;
  }
}

/** Where the simulated guest Wi-Fi sends a request that is not signed in. */
export const CAPTIVE_PORTAL_LOGIN_URL = 'http://login.guest-wifi.example/portal';

/** A 200 answer of `totalBytes`: a real envelope padded with a comment, streamed in pieces. */
function sendOversized(res: http.ServerResponse, envelope: string, totalBytes: number): void {
  const head = Buffer.from(`${envelope}<!--`);
  const tail = Buffer.from('-->');
  const padding = Math.max(0, totalBytes - head.length - tail.length);
  res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(head.length + padding + tail.length) });
  res.write(head);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = padding;
  const pump = (): void => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      // A client that stops reading (it hit its size limit) closes the socket; stop writing then.
      if (res.destroyed) return;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  pump();
}

function emptyStats(): Omit<SimulatorStats, keyof StoreStats> {
  return { requests: 0, submits: 0, connectivityTests: 0, processed: 0, resends: 0, controlIdConflicts: 0, securityRejections: 0, acks: { AA: 0, AE: 0, AR: 0 }, faults: {} };
}

export async function startRegistrySimulator(options: SimulatorOptions = {}): Promise<RegistrySimulator> {
  const host = options.host ?? '127.0.0.1';
  const servicePath = options.path ?? '/soap';
  const users = options.users ?? [DEFAULT_SIMULATOR_USER];
  const placement = options.credentialPlacement ?? 'either';
  const base64 = options.payloadEncoding === 'base64';
  const connectivityTestSupported = options.connectivityTestSupported ?? true;
  const maxMessageBytes = options.maxMessageBytes ?? 64 * 1024;
  const now = options.now ?? (() => new Date());
  const ackEnd = options.ackSegmentEnd ?? 'cr';
  const quirks = new Set<QuirkName>(options.quirks ?? []);
  let registeredFacilities: ReadonlySet<string> | undefined = options.registeredFacilities ? new Set(options.registeredFacilities) : undefined;
  const registeredLocations: ReadonlySet<string> | undefined = options.registeredLocations ? new Set(options.registeredLocations) : undefined;
  const plan = new FaultPlan(options.faults);
  const store = new RegistryStore();
  let processor = newProcessor();
  const segmentEnd = ackEnd === 'lf' ? '\n' : ackEnd === 'crlf' ? '\r\n' : '\r';
  const queries = new QueryResponder(store, options.history ? { now, segmentEnd, seeded: options.history } : { now, segmentEnd });
  const recorder = options.recordDir ? new MessageRecorder(options.recordDir) : undefined;
  let received: ReceivedMessage[] = [];
  let counters = emptyStats();
  const timers = new Set<NodeJS.Timeout>();

  function newProcessor(): VxuProcessor {
    return new VxuProcessor(store, {
      quirks,
      warningsAs: options.warningsAs ?? 'AE',
      ackSegmentEnd: ackEnd === 'lf' ? '\n' : ackEnd === 'crlf' ? '\r\n' : '\r',
      now,
      registeredFacilities: () => registeredFacilities,
      registeredLocations,
    });
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  function sendFault(res: http.ServerResponse, type: CdcFaultType, detail?: string): void {
    send(res, faultHttpStatus(type), buildFaultEnvelope(type, detail));
  }

  function credentialsOk(r: SoapRequest): boolean {
    const creds = placement === 'wsse' ? r.wsse : placement === 'body' ? r.body : (r.wsse ?? r.body);
    if (!creds) return false;
    const user = users.find((u) => u.username === creds.username && u.password === creds.password);
    if (!user) return false;
    return !user.facilityIds || user.facilityIds.includes(r.facilityId ?? '');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    counters.requests++;
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname !== servicePath) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`No service at ${url.pathname}; the CDC service is at ${servicePath}.`);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('The CDC IIS service accepts SOAP 1.2 POST requests only.');
      return;
    }
    let xml: string;
    try {
      xml = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) res.writeHead(413, { Connection: 'close' }).end();
      else res.destroy();
      return;
    }
    const parsed = parseSoapRequest(xml);
    const fault = plan.next();
    if (fault) counters.faults[fault] = (counters.faults[fault] ?? 0) + 1;

    let entry: ReceivedMessage | undefined;
    let hl7: string | undefined;
    if (parsed.ok) {
      const r = parsed.request;
      entry = { seq: received.length + 1, receivedAt: now().toISOString(), operation: r.operation, outcome: 'refused' };
      if (fault) entry.fault = fault;
      if (r.operation === 'submitSingleMessage') {
        counters.submits++;
        if (r.facilityId !== undefined) entry.facilityId = r.facilityId;
        if (r.hl7Message !== undefined) {
          hl7 = batchUnwrap(base64 ? fromBase64IfEncoded(r.hl7Message) : r.hl7Message);
          entry.hl7 = hl7;
          const msh = splitSegments(hl7).find((s) => s.startsWith('MSH'));
          if (msh && msh.length > 3) entry.controlId = msh.split(msh[3])[9] ?? '';
        }
      } else {
        counters.connectivityTests++;
      }
      received.push(entry);
      if (recorder && hl7 !== undefined) await recorder.record(hl7, entry.controlId ?? '');
    }

    const latency = plan.latencyMs();
    if (latency > 0) await sleep(latency);

    // Faults that strike before the registry looks at the message.
    switch (fault) {
      case 'drop':
        if (entry) entry.outcome = 'faulted';
        req.socket.destroy();
        return;
      case 'timeout':
        if (entry) entry.outcome = 'faulted';
        return; // never answered; the socket is closed by the client or by stop()
      case 'http500':
        if (entry) entry.outcome = 'faulted';
        res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      case 'http503':
      case 'http429':
        if (entry) entry.outcome = 'faulted';
        res
          .writeHead(fault === 'http503' ? 503 : 429, { 'Content-Type': 'text/plain', 'Retry-After': String(plan.retryAfterSeconds()) })
          .end(fault === 'http503' ? 'Service Unavailable' : 'Too Many Requests');
        return;
      case 'http400':
      case 'http406':
      case 'http407':
      case 'http408':
      case 'captivePortalRedirect':
      case 'captivePortalPage':
        if (entry) entry.outcome = 'faulted';
        sendNetworkDeviceAnswer(res, fault, req.headers.host ?? host);
        return;
      case 'securityFault':
      case 'messageTooLargeFault':
      case 'unknownFault':
      case 'unsupportedOperationFault':
        if (entry) entry.outcome = 'faulted';
        sendFault(res, INJECTED_SOAP_FAULTS[fault]);
        return;
      default:
        break;
    }

    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().includes('application/soap+xml')) {
      res.writeHead(415, { 'Content-Type': 'text/plain' }).end('SOAP 1.2 requests must be sent as application/soap+xml.');
      return;
    }
    if (!parsed.ok) {
      if (parsed.unsupportedOperation !== undefined) sendFault(res, 'UnsupportedOperationFault', parsed.why);
      else send(res, 400, buildFaultEnvelope('UnknownFault', parsed.why));
      return;
    }
    const r = parsed.request;
    const answer = (operation: SoapRequest['operation'], text: string) =>
      send(res, 200, buildReturnEnvelope(operation, base64 && operation === 'submitSingleMessage' ? toBase64(text) : text, ackEnd === 'raw-cr'));

    if (r.operation === 'connectivityTest') {
      if (!connectivityTestSupported) {
        sendFault(res, 'UnsupportedOperationFault', 'connectivityTest is not supported by this interface');
        return;
      }
      if (entry) entry.outcome = 'processed';
      answer('connectivityTest', `End-point is ready. Echoing: ${r.echoBack ?? ''}`);
      return;
    }

    if (!credentialsOk(r)) {
      counters.securityRejections++;
      sendFault(res, 'SecurityFault');
      return;
    }
    if (hl7 === undefined || hl7.trim() === '') {
      send(res, 400, buildFaultEnvelope('UnknownFault', 'hl7Message is empty; send one HL7 message.'));
      return;
    }
    if (splitSegments(hl7).filter((s) => s.startsWith('MSH')).length > 1) {
      sendFault(res, 'MessageTooLargeFault');
      return;
    }
    if (Buffer.byteLength(hl7) > maxMessageBytes) {
      sendFault(res, 'MessageTooLargeFault', `The message is ${Buffer.byteLength(hl7)} bytes; the limit is ${maxMessageBytes}.`);
      return;
    }

    if (isQueryMessage(hl7)) {
      // A query reads the registry and stores nothing: no MSH-10 dedupe, no counters of doses.
      const rsp = queries.answer(hl7);
      if (entry) entry.outcome = 'processed';
      if (fault === 'lostAck') {
        req.socket.destroy();
        return;
      }
      if (fault === 'malformedEnvelope') {
        const broken = buildReturnEnvelope('submitSingleMessage', rsp);
        send(res, 200, broken.slice(0, Math.floor(broken.length / 2)));
        return;
      }
      if (fault === 'nonHl7Return') {
        answer('submitSingleMessage', 'Internal error: the message could not be processed at this time.');
        return;
      }
      answer('submitSingleMessage', rsp);
      return;
    }

    const result = processor.process(hl7, r.facilityId);
    if (entry) {
      entry.outcome = result.resend ? 'resend' : 'processed';
      entry.ackCode = result.ackCode;
    }
    if (!result.resend) {
      counters.processed++;
      if (result.ackCode === 'AA' || result.ackCode === 'AE' || result.ackCode === 'AR') counters.acks[result.ackCode]++;
    }

    // Faults that strike after the message was stored: the sender cannot know it arrived.
    if (fault === 'lostAck') {
      req.socket.destroy();
      return;
    }
    if (fault === 'malformedEnvelope') {
      const broken = buildReturnEnvelope('submitSingleMessage', result.ackText);
      send(res, 200, broken.slice(0, Math.floor(broken.length / 2)));
      return;
    }
    if (fault === 'nonHl7Return') {
      answer('submitSingleMessage', 'Internal error: the message could not be processed at this time.');
      return;
    }
    if (fault === 'commitAck') {
      answer('submitSingleMessage', processor.commitAck(hl7));
      return;
    }
    if (fault === 'oversizedAnswer') {
      sendOversized(res, buildReturnEnvelope('submitSingleMessage', result.ackText), plan.oversizedAnswerBytes());
      return;
    }
    answer('submitSingleMessage', result.ackText);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, buildFaultEnvelope('UnknownFault', `Simulator error: ${e instanceof Error ? e.message : String(e)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}${servicePath}`,
    port,
    host,
    accepted: () => store.all(),
    received: () => received.map((m) => ({ ...m })),
    setFaults: (f) => plan.set(f),
    failNext: (count, kind) => plan.failNext(count, kind),
    setQuirks: (q) => {
      quirks.clear();
      for (const name of q) quirks.add(name);
    },
    setRegisteredFacilities: (f) => {
      registeredFacilities = f ? new Set(f) : undefined;
    },
    get stats(): SimulatorStats {
      return {
        ...counters,
        acks: { ...counters.acks },
        faults: { ...counters.faults },
        resends: processor.resends,
        controlIdConflicts: processor.controlIdConflicts,
        ...store.stats(),
      };
    },
    reset: () => {
      store.clear();
      processor = newProcessor();
      received = [];
      counters = emptyStats();
      plan.clearQueued();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
