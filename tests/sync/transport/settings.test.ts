import { cdcStandardPreset, createSoapTransport, EndpointSettingsError, massachusettsPreset, parseEndpointSettings } from '../../../sync/transport';

const site = { url: 'https://miis.example.org/CDCService', facilityId: '10144', username: 'u', password: 'p' };

describe('endpoint settings', () => {
  it('has a Massachusetts preset: WS-Security, plain text, no batch, no connectivityTest', () => {
    expect(massachusettsPreset(site)).toMatchObject({
      credentialPlacement: 'wsse',
      payloadEncoding: 'plain',
      batchWrap: false,
      facilityIdFromMsh4: false,
      connectivityTestSupported: false,
      soapVersion: '1.2',
    });
  });

  it('has a CDC standard preset with credentials in the body', () => {
    expect(cdcStandardPreset(site)).toMatchObject({ credentialPlacement: 'body', connectivityTestSupported: true });
    expect(cdcStandardPreset(site, { payloadEncoding: 'base64', batchWrap: true })).toMatchObject({ payloadEncoding: 'base64', batchWrap: true });
  });

  it('refuses plain http for anything but this machine', () => {
    expect(() => massachusettsPreset({ ...site, url: 'http://miis.example.org/CDCService' })).toThrow(/only be sent over https/);
    expect(() => createSoapTransport({ ...massachusettsPreset(site), url: 'http://10.0.0.5/soap' })).toThrow(EndpointSettingsError);
    expect(() => massachusettsPreset({ ...site, url: 'ftp://miis.example.org/' })).toThrow(/not supported/);
    expect(() => massachusettsPreset({ ...site, url: 'not a url' })).toThrow(/not a valid URL/);
    expect(massachusettsPreset({ ...site, url: 'http://127.0.0.1:8089/soap' }).url).toBe('http://127.0.0.1:8089/soap');
    expect(massachusettsPreset({ ...site, url: 'http://localhost:8089/soap' }).url).toBe('http://localhost:8089/soap');
  });

  it('lists every problem of a bad settings file', () => {
    try {
      parseEndpointSettings({ url: 'http://example.org', credentialPlacement: 'header' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EndpointSettingsError);
      const problems = (e as EndpointSettingsError).problems;
      expect(problems.some((p) => p.startsWith('credentialPlacement'))).toBe(true);
      expect(problems.some((p) => p.startsWith('timeoutMs'))).toBe(true);
    }
  });
});
