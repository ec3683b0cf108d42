export type { ConnectionCheck, OutcomeCode, RegistryTransport, SubmitOptions, SubmitOutcome } from './types';
export {
  EndpointSettingsSchema,
  EndpointSettingsError,
  cdcStandardPreset,
  endpointUrlProblem,
  isLoopbackHost,
  massachusettsPreset,
  parseEndpointSettings,
  type EndpointSettings,
  type SiteCredentials,
} from './settings';
export { SoapTransport, createSoapTransport, type SoapTransportOptions } from './soap-transport';
export { parseRetryAfter } from './retry-after';
export { splitSegments, batchWrap, batchUnwrap, encodePayload, decodePayload } from './hl7-payload';
export {
  CDC_NS,
  SOAP12_NS,
  WSSE_NS,
  buildConnectivityTestRequest,
  buildSubmitSingleMessageRequest,
  parseSoapResponse,
  soapContentType,
  type CdcFaultType,
  type SoapResponse,
} from './soap-envelope';
