import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, isAxiosError } from 'axios';
import { answerTooLarge, classifyFault, classifyHttpAnswer, classifyNetworkError, payloadEncodingMismatch, type HttpAnswer, type NotDelivered } from './classify';
import { escapeHl7, tryParseMessage } from '../hl7';
import { batchUnwrap, decodePayload, encodePayload, fromBase64IfEncoded, splitSegments } from './hl7-payload';
import { newProbeControlId } from './probe-id';
import { parseRetryAfter } from './retry-after';
import { isLoopbackHost, parseEndpointSettings, type EndpointSettings } from './settings';
import {
  buildConnectivityTestRequest,
  buildSubmitSingleMessageRequest,
  parseSoapResponse,
  soapContentType,
  type SoapOperation,
  type SoapResponse,
} from './soap-envelope';
import { type ConnectionCheck, type RegistryTransport, type SubmitOptions, type SubmitOutcome } from './types';
import { UnencodableTextError } from './xml';

// The CDC IIS 2011 SOAP service over axios (docs/domain.md §2). One request per message, synchronous,
// TLS verification always on (no setting can turn it off).

const MAX_ANSWER_BYTES = 10 * 1024 * 1024;

export interface SoapTransportOptions {
  /** Clock for Retry-After dates; tests pass a fixed one. */
  now?: () => number;
  /** Sent as MSH-3 in the connection probe. */
  applicationName?: string;
}

type Exchange =
  | { ok: true; http: Omit<HttpAnswer, 'problem'>; answer: Extract<SoapResponse, { kind: 'return' | 'fault' }>; retryAfterMs?: number }
  | { ok: false; outcome: NotDelivered };

export class SoapTransport implements RegistryTransport {
  readonly settings: EndpointSettings;
  private readonly client: AxiosInstance;
  private readonly host: string;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly now: () => number;
  private readonly applicationName: string;

  constructor(settings: EndpointSettings, options: SoapTransportOptions = {}) {
    // Re-validated here so that no caller can reach a plain-http remote URL by skipping the schema.
    this.settings = parseEndpointSettings(settings);
    const url = new URL(this.settings.url);
    this.host = url.host;
    this.now = options.now ?? Date.now;
    this.applicationName = options.applicationName ?? 'DoseDesk';
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.httpsAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    this.client = axios.create({
      adapter: 'http',
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A proxy from the environment must never see loopback traffic meant for the simulator.
      ...(isLoopbackHost(url.hostname) ? { proxy: false as const } : {}),
      maxRedirects: 0,
      maxContentLength: MAX_ANSWER_BYTES,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
  }

  /** Closes pooled connections; call when the endpoint settings change or the app quits. */
  dispose(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async submit(hl7: string, opts: SubmitOptions = {}): Promise<SubmitOutcome> {
    const s = this.settings;
    let envelope: string;
    try {
      const facilityId = s.facilityIdFromMsh4 ? sendingFacility(hl7) : s.facilityId;
      envelope = buildSubmitSingleMessageRequest({
        username: s.username,
        password: s.password,
        facilityId,
        hl7Message: encodePayload(hl7, s),
        credentialPlacement: s.credentialPlacement,
      });
    } catch (e) {
      if (e instanceof UnencodableTextError) {
        return { kind: 'needs_person', code: 'unencodable_message', reason: e.message, params: { host: this.host } };
      }
      throw e;
    }
    const ex = await this.exchange('submitSingleMessage', envelope, opts.signal);
    if (!ex.ok) return ex.outcome;
    if (ex.answer.kind === 'fault') return classifyFault(ex.answer, this.host, ex.retryAfterMs);
    const ackText = decodePayload(ex.answer.text, s);
    const ackSegments = splitSegments(ackText);
    if (!holdsAck(ackSegments)) {
      if (s.payloadEncoding === 'plain' && holdsAck(splitSegments(batchUnwrap(fromBase64IfEncoded(ex.answer.text))))) {
        return payloadEncodingMismatch(this.host);
      }
      return classifyHttpAnswer({ ...ex.http, problem: 'its answer holds no HL7 acknowledgement (MSH and MSA)' }, s.url, this.host);
    }
    // Registries key off the body, not the status: an ACK is the registry's word even under a 4xx/5xx.
    return { kind: 'delivered', ackText, ackSegments, host: this.host };
  }

  /**
   * Proves the endpoint answers and accepts our credentials without reporting anything.
   * connectivityTest (when supported) carries no credentials in the 2011 WSDL, so it only shows
   * reachability; the credentials are then proven by a probe: an HL7 message of type ACK, which no
   * registry can file as a dose. The service authenticates before it reads the message, so it
   * answers a SecurityFault for bad credentials, and otherwise an AR/AE acknowledgement (or a
   * MessageTooLargeFault from registries that size-check the header) — which means they passed.
   */
  async checkConnection(): Promise<ConnectionCheck> {
    const notes: string[] = [];
    if (this.settings.connectivityTestSupported) {
      const echo = `DoseDesk connectivity check ${new Date(this.now()).toISOString()}`;
      const ex = await this.exchange('connectivityTest', buildConnectivityTestRequest(echo));
      if (!ex.ok) return notOk(ex.outcome);
      if (ex.answer.kind === 'fault' && ex.answer.faultType === 'UnsupportedOperationFault') {
        notes.push('The registry does not support connectivityTest; turn that option off in the endpoint settings.');
      } else if (ex.answer.kind === 'fault') {
        return notOk(classifyFault(ex.answer, this.host, ex.retryAfterMs));
      } else {
        notes.push(`connectivityTest answered "${ex.answer.text.slice(0, 80)}".`);
      }
    }
    const outcome = await this.submit(this.probeMessage());
    if (outcome.kind === 'delivered') {
      const msa = outcome.ackSegments.find((seg) => seg.startsWith('MSA')) ?? '';
      notes.push(`The registry accepted the credentials and acknowledged a test header (${msa.slice(0, 60)}); no dose was sent.`);
      return { ok: true, detail: `${this.host} is reachable. ${notes.join(' ')}` };
    }
    // A MessageTooLargeFault is raised after authentication; an UnknownFault proves nothing (the
    // registry may be failing before it looks at credentials), so that stays a failed check.
    if (outcome.code === 'message_too_large') {
      notes.push('The registry passed the credentials and refused the test header with a MessageTooLargeFault; no dose was sent.');
      return { ok: true, detail: `${this.host} is reachable. ${notes.join(' ')}` };
    }
    return notOk(outcome);
  }

  private probeMessage(): string {
    const ts = new Date(this.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const facility = escapeHl7(this.settings.facilityId);
    return `MSH|^~\\&|${this.applicationName}|${facility}|||${ts}||ACK^V04^ACK|${newProbeControlId()}|P|2.5.1\r`;
  }

  private async exchange(operation: SoapOperation, envelope: string, signal?: AbortSignal): Promise<Exchange> {
    const controller = new AbortController();
    let abortedBy: 'timeout' | 'caller' | 'too_large' | null = null;
    const onCallerAbort = () => {
      abortedBy ??= 'caller';
      controller.abort();
    };
    if (signal?.aborted) onCallerAbort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer = setTimeout(() => {
      abortedBy ??= 'timeout';
      controller.abort();
    }, this.settings.timeoutMs);
    try {
      const res = await this.client.post<string>(this.settings.url, envelope, {
        headers: { 'Content-Type': soapContentType(operation), Accept: 'application/soap+xml, text/xml' },
        signal: controller.signal,
        // A Content-Length over the limit is known with the first bytes. Waiting for the rest
        // would, on a slow link, end in the timeout: an "outage" instead of this answer's problem.
        onDownloadProgress: (p) => {
          if ((p.total ?? 0) > MAX_ANSWER_BYTES || p.loaded > MAX_ANSWER_BYTES) {
            abortedBy ??= 'too_large';
            controller.abort();
          }
        },
      });
      const retryAfterMs = parseRetryAfter(headerValue(res.headers['retry-after']), this.now());
      const body = typeof res.data === 'string' ? res.data : '';
      const http: Omit<HttpAnswer, 'problem'> = { status: res.status, contentType: headerValue(res.headers['content-type']) ?? '', body: body.slice(0, 4096) };
      const location = headerValue(res.headers['location']);
      if (location !== undefined) http.location = location;
      if (retryAfterMs !== undefined) http.retryAfterMs = retryAfterMs;
      const answer = parseSoapResponse(body);
      if (answer.kind === 'malformed') {
        return { ok: false, outcome: classifyHttpAnswer({ ...http, problem: answer.why }, this.settings.url, this.host) };
      }
      return retryAfterMs === undefined ? { ok: true, http, answer } : { ok: true, http, answer, retryAfterMs };
    } catch (e) {
      // Axios's own limit catches a body without Content-Length that grows past it.
      const overLimit = isAxiosError(e) && e.code === AxiosError.ERR_BAD_RESPONSE && /maxContentLength/.test(e.message);
      const cause: 'timeout' | 'caller' | 'too_large' | null = abortedBy;
      if (cause === 'too_large' || overLimit) return { ok: false, outcome: answerTooLarge(this.host, MAX_ANSWER_BYTES) };
      const code = isAxiosError(e) ? (e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.code : undefined;
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, outcome: classifyNetworkError(code, message, this.host, cause, this.settings.timeoutMs) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

/** MSH-4.1, decoded; only the header segment is parsed. */
function sendingFacility(hl7: string): string {
  const header = tryParseMessage(splitSegments(hl7)[0] ?? '');
  return header.ok ? header.message.get('MSH', 4) : '';
}

function holdsAck(segments: string[]): boolean {
  return (segments[0]?.startsWith('MSH') ?? false) && segments.some((seg) => seg.startsWith('MSA'));
}

function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

function notOk(o: NotDelivered): ConnectionCheck {
  return o.params ? { ok: false, kind: o.kind, code: o.code, reason: o.reason, params: o.params } : { ok: false, kind: o.kind, code: o.code, reason: o.reason };
}

export function createSoapTransport(settings: EndpointSettings, options?: SoapTransportOptions): SoapTransport {
  return new SoapTransport(settings, options);
}
