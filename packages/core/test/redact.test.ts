import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRegistry } from '../src/redact.js';

describe('SecretRegistry', () => {
  it('replaces secret query values by name and keeps the rest of the URL as it was', () => {
    const s = new SecretRegistry();
    s.addQueryName('X-Custom');
    const url = 'https://api.kandy.io/v1.2/domains/users?key=DAT123&domain_api_secret=DAS9&user_id=russ&executionparams=%7B%22a%22%3A1%7D&x-custom=v';
    expect(s.redactUrl(url)).toBe(
      `https://api.kandy.io/v1.2/domains/users?key=${REDACTED}&domain_api_secret=${REDACTED}&user_id=russ&executionparams=%7B%22a%22%3A1%7D&x-custom=${REDACTED}`,
    );
  });

  it('covers the usual credential names', () => {
    const s = new SecretRegistry();
    for (const name of ['key', 'api_key', 'apikey', 'access_token', 'account_access_token', 'client_secret', 'password', 'user_api_key', 'sig', 'code']) {
      expect(s.isSecretQueryName(name), name).toBe(true);
    }
    for (const name of ['sort', 'page', 'companyId', 'user_id', 'monkey', 'keyword', 'tokens_used']) expect(s.isSecretQueryName(name), name).toBe(false);
  });

  it('removes userinfo from URLs', () => {
    expect(new SecretRegistry().redactUrl('http://admin:hunter22@cloud.example:8889/appserver/rest/x')).toBe('http://cloud.example:8889/appserver/rest/x');
  });

  it('scrubs registered values in plain, URL-encoded and form-encoded forms, longest first', () => {
    const s = new SecretRegistry();
    s.addValue('p@ss word/+1');
    s.addValue('p@ss');
    s.addValue('abc'); // too short to scrub safely; still removed by name where it travels
    const text = `a p@ss word/+1 b ${encodeURIComponent('p@ss word/+1')} c p%40ss+word%2F%2B1 d p@ss e abc`;
    expect(s.scrub(text)).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED} e abc`);
  });

  it('redacts credential headers and scrubs values in others', () => {
    const s = new SecretRegistry();
    s.addHeaderName('X-Password');
    s.addValue('tok-123456');
    const headers = s.redactHeaders(new Headers({ Authorization: 'Bearer x', Cookie: 'id0=1', 'X-Password': 'pw', 'X-Echo': 'got tok-123456', Accept: 'application/json' }));
    expect(headers).toEqual({
      accept: 'application/json',
      authorization: REDACTED,
      cookie: REDACTED,
      'x-echo': `got ${REDACTED}`,
      'x-password': REDACTED,
    });
  });

  it('scrubs deep inside parsed bodies without touching other values', () => {
    const s = new SecretRegistry();
    s.addValue('sekrit-value');
    expect(s.scrubValue({ a: ['x sekrit-value', 1, null], b: { c: 'sekrit-value' }, d: true })).toEqual({ a: [`x ${REDACTED}`, 1, null], b: { c: REDACTED }, d: true });
  });
});
