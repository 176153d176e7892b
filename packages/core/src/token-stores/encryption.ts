/**
 * Tokens encrypted at rest with AES-256-GCM, in web-standard APIs only (crypto.subtle, atob/btoa):
 * a random 96-bit IV per value, the 128-bit tag checked on every read, and associated data that
 * binds a value to where it is stored. The envelope is the one EncryptedFileTokenStore writes:
 *
 *     {"v":1,"alg":"AES-256-GCM","iv":"<base64>","tag":"<base64>","data":"<base64>"}
 *
 * Keys: 32 bytes, or a string of them as 64 hex digits or base64 / base64url (PROVIDER_SDK_TOKEN_KEY).
 */

export const TOKEN_KEY_ENV = 'PROVIDER_SDK_TOKEN_KEY';
export const ENVELOPE_ALG = 'AES-256-GCM';

/** A value this store will not use: it failed authentication, or is not what the store writes. */
export class TokenValueRejected extends Error {
  override name = 'TokenValueRejected';
}

/** A 32-byte key from bytes, 64 hex digits, or base64 / base64url. The message never shows the key. */
export function decodeTokenKey(raw: Uint8Array | string, source = 'key'): Uint8Array {
  let key: Uint8Array;
  if (typeof raw !== 'string') key = new Uint8Array(raw);
  else if (/^[0-9a-f]{64}$/i.test(raw.trim())) key = fromHex(raw.trim());
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw.trim())) key = fromBase64(raw.trim());
  else key = new Uint8Array(0);
  if (key.length !== 32) throw new TypeError(`${source} must be 32 bytes (64 hex digits or base64 of 32 bytes); got ${key.length} bytes`);
  return key;
}

/** Whether a stored value looks like an encrypted envelope (so that a store without the key leaves it alone). */
export function isEnvelope(text: string): boolean {
  return /^\s*\{\s*"v"\s*:\s*1\s*,\s*"alg"\s*:\s*"AES-256-GCM"/.test(text);
}

type CipherKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

export class TokenCipher {
  readonly #key: Promise<CipherKey>;

  constructor(rawKey: Uint8Array) {
    if (!globalThis.crypto?.subtle) throw new TypeError('encryption at rest needs crypto.subtle (Node.js 20, a browser, or a worker runtime)');
    this.#key = globalThis.crypto.subtle.importKey('raw', rawKey, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  }

  async seal(plaintext: string, associated: string): Promise<string> {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(
      await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(associated), tagLength: 128 }, await this.#key, new TextEncoder().encode(plaintext)),
    );
    const data = sealed.subarray(0, sealed.length - 16);
    const tag = sealed.subarray(sealed.length - 16);
    return JSON.stringify({ v: 1, alg: ENVELOPE_ALG, iv: toBase64(iv), tag: toBase64(tag), data: toBase64(data) });
  }

  /** The plaintext; a TokenValueRejected when the value is not an envelope or fails authentication. */
  async open(text: string, associated: string): Promise<string> {
    let envelope: { v?: unknown; alg?: unknown; iv?: unknown; tag?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new TokenValueRejected('not encrypted');
    }
    if (envelope?.v !== 1 || envelope.alg !== ENVELOPE_ALG || typeof envelope.iv !== 'string' || typeof envelope.tag !== 'string' || typeof envelope.data !== 'string') {
      throw new TokenValueRejected('not encrypted');
    }
    const iv = fromBase64(envelope.iv);
    const tag = fromBase64(envelope.tag);
    const data = fromBase64(envelope.data);
    if (iv.length !== 12 || tag.length !== 16) throw new TokenValueRejected('not encrypted');
    const sealed = new Uint8Array(data.length + 16);
    sealed.set(data);
    sealed.set(tag, data.length);
    try {
      const plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(associated), tagLength: 128 }, await this.#key, sealed);
      return new TextDecoder().decode(plain);
    } catch {
      throw new TokenValueRejected('it failed authentication (tampered, or written with another key)');
    }
  }
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function fromBase64(text: string): Uint8Array {
  let b64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) return new Uint8Array(0);
  b64 += '='.repeat((4 - (b64.length % 4)) % 4);
  try {
    const binary = atob(b64);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
