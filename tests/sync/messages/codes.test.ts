import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/en';
import { es } from '../../../renderer/i18n/es';
import { pt } from '../../../renderer/i18n/pt';
import { storeProblem } from '../../../sync/engine/store-trouble';
import { decide } from '../../../sync/engine/outcome';
import { ENGINE_MESSAGE_CODES, isEngineMessageCode } from '../../../sync/messages/codes';
import { answerTooLarge, classifyFault, classifyHttpAnswer, classifyNetworkError, payloadEncodingMismatch, type NotDelivered } from '../../../sync/transport/classify';
import { StoreError, STORE_ERROR_KINDS } from '../../../electron/store/errors';
import type { MessageParams } from '../../../sync/transport/types';

// Every code the transport and the engine can put on a screen has a sentence in all three
// catalogues, and what the code arrives with fills every value that sentence asks for.

const catalogues = { en, es, pt } as Record<string, Record<string, unknown>>;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

function template(locale: string, code: string): string {
  const value = catalogues[locale]?.[`engine.${code}`];
  if (typeof value !== 'string') throw new Error(`${locale} has no engine.${code}`);
  return value;
}

/** The code's sentence in every language, with these values, has no hole left. */
function expectRenders(code: string, params: MessageParams | undefined): void {
  expect(isEngineMessageCode(code), `${code} is not in ENGINE_MESSAGE_CODES`).toBe(true);
  for (const locale of Object.keys(catalogues)) {
    for (const name of placeholders(template(locale, code))) {
      expect(params?.[name], `${locale} engine.${code} needs {${name}}`).not.toBeUndefined();
    }
  }
}

const HOST = 'miis.example:443';
const URL = 'https://miis.example/soap';

/** What the transport can answer: every HTTP status, every fault, every network failure. */
function transportOutcomes(): NotDelivered[] {
  const out: NotDelivered[] = [];
  for (let status = 200; status < 600; status += 1) {
    for (const body of ['', '<html><title>Sign in</title></html>']) {
      out.push(classifyHttpAnswer({ status, contentType: body ? 'text/html' : 'text/plain', body, problem: 'its body is not XML', location: 'https://portal.example/login' }, URL, HOST));
      out.push(classifyHttpAnswer({ status, contentType: 'text/plain', body, problem: 'its body is not XML', location: '/other' }, URL, HOST));
    }
  }
  for (const faultType of ['SecurityFault', 'MessageTooLargeFault', 'UnsupportedOperationFault', 'UnknownFault'] as const) {
    out.push(classifyFault({ kind: 'fault', faultType, soapCode: 'Receiver', detailCode: '7', detailText: 'said so', reasonText: '' }, HOST));
  }
  for (const errCode of [undefined, 'ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
    for (const abortedBy of [null, 'timeout', 'caller'] as const) out.push(classifyNetworkError(errCode, 'socket hang up', HOST, abortedBy, 30_000));
  }
  out.push(answerTooLarge(HOST, 10 * 1024 * 1024), payloadEncodingMismatch(HOST));
  return out;
}

const entry = { messageControlId: 'DD-1', messageText: 'MSH|^~\\&|DoseDesk|1234||99990|20261125||VXU^V04^VXU_V04|DD-1|P|2.5.1|||ER|AL\r' };
const ack = (msa: string, err = '') => `MSH|^~\\&|MIIS|99990|DoseDesk|1234|20261125||ACK^V04^ACK|A1|P|2.5.1\rMSA|${msa}\r${err}`;

describe('engine message codes', () => {
  it('have a sentence in English, Spanish and Portuguese, translated, asking only for values English has', () => {
    expect(ENGINE_MESSAGE_CODES.length).toBeGreaterThan(40);
    for (const code of ENGINE_MESSAGE_CODES) {
      const english = template('en', code);
      for (const locale of ['es', 'pt']) {
        const translated = template(locale, code);
        expect(translated, `${locale} engine.${code} is the English text`).not.toBe(english);
        for (const name of placeholders(translated)) expect(placeholders(english), `${locale} engine.${code} {${name}}`).toContain(name);
      }
    }
  });

  it('cover every transport outcome, with the values their sentences need', () => {
    const seen = new Set<string>();
    for (const o of transportOutcomes()) {
      seen.add(o.code);
      expectRenders(o.code, o.params);
    }
    // The matrix reaches the codes it is meant to: a renamed code cannot slip past.
    for (const code of ['captive_portal', 'network_refused', 'proxy_auth_required', 'endpoint_misconfigured', 'security_fault', 'timeout', 'tls_untrusted', 'answer_too_large']) expect(seen).toContain(code);
  });

  it('cover every engine decision on an answer, and every store failure', () => {
    const answers = [
      '',
      'not hl7 at all',
      ack('CA|DD-1'),
      ack('AA|OTHER'),
      ack('AR|DD-1', 'ERR||MSH^1^4|204^Unknown key identifier^HL70357|E||||Facility 1234 is not registered\r'),
      ack('AE|DD-1', 'ERR||MSH^1^9|200^Unsupported message type^HL70357|E\r'),
      ack('AE|DD-1', 'ERR||PID^1^5|207^Application internal error^HL70357|E||||Record locked\r'),
    ];
    for (const text of answers) {
      const d = decide(entry, { kind: 'delivered', ackText: text, ackSegments: text.split('\r').filter(Boolean), host: HOST });
      if (d.kind === 'retry' || d.kind === 'pause') expectRenders(d.code, d.params);
    }
    for (const o of transportOutcomes()) {
      const d = decide(entry, o);
      if (d.kind === 'rejected') for (const m of d.messages) expectRenders(m.code ?? '', m.params);
      else if (d.kind !== 'accepted') expectRenders(d.code, d.params);
    }
    for (const kind of STORE_ERROR_KINDS) {
      const p = storeProblem(new StoreError(kind, 'refused', { code: 'SQLITE_X' }), '2026-11-25T15:00:00Z');
      expectRenders(p.code, p.params);
    }
    const p = storeProblem(new TypeError('boom'), '2026-11-25T15:00:00Z');
    expectRenders(p.code, p.params);
  });
});
