import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeTokenKey, TOKEN_KEY_ENV } from './encryption.js';
import { FileTokenStore, type FileTokenStoreOptions, TokenFileRejected } from './file.js';

export { TOKEN_KEY_ENV } from './encryption.js';

/**
 * A FileTokenStore whose file is encrypted with AES-256-GCM: a random 96-bit IV per write, the
 * 128-bit authentication tag verified on every read. A file that fails authentication (tampered,
 * truncated, or written with another key) is rejected, reported to `onError` and to the client's
 * logger, and left alone: this process keeps its tokens in memory, and the processes that have the
 * right key go on using the file. On disk:
 *
 *     {"v":1,"alg":"AES-256-GCM","iv":"<base64>","tag":"<base64>","data":"<base64>"}
 */
export interface EncryptedFileTokenStoreOptions extends FileTokenStoreOptions {
  /** 32 bytes, or a string of them in hex (64 digits) or base64. Default: the environment variable. */
  key?: Uint8Array | string | undefined;
  /** Environment variable read when `key` is not given. Default `PROVIDER_SDK_TOKEN_KEY`. */
  keyEnv?: string | undefined;
}

const ALG = 'AES-256-GCM';
const AAD = Buffer.from('provider-sdk token store v1', 'utf8');

export class EncryptedFileTokenStore extends FileTokenStore {
  readonly #key: Buffer;

  constructor(path: string, options: EncryptedFileTokenStoreOptions = {}) {
    super(path, options);
    const env = options.keyEnv ?? TOKEN_KEY_ENV;
    const raw = options.key ?? process.env[env];
    if (raw === undefined || raw === '') {
      throw new TypeError(`EncryptedFileTokenStore needs a 32-byte key: pass { key } or set ${env} (64 hex digits or base64)`);
    }
    this.#key = parseTokenKey(raw, options.key === undefined ? env : 'key');
  }

  protected override encode(json: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    const envelope = { v: 1, alg: ALG, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    return Buffer.from(JSON.stringify(envelope), 'utf8');
  }

  protected override decode(bytes: Buffer): string {
    let envelope: { v?: unknown; alg?: unknown; iv?: unknown; tag?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new TokenFileRejected('not an encrypted token file (not even JSON)'); // nobody can use it: replaced by the next write
    }
    if (envelope?.v !== 1 || envelope.alg !== ALG || typeof envelope.iv !== 'string' || typeof envelope.tag !== 'string' || typeof envelope.data !== 'string') {
      throw new TokenFileRejected('not an encrypted token file', { leaveAlone: true });
    }
    const iv = Buffer.from(envelope.iv, 'base64');
    const tag = Buffer.from(envelope.tag, 'base64');
    if (iv.length !== 12 || tag.length !== 16) throw new TokenFileRejected('not an encrypted token file', { leaveAlone: true });
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenFileRejected('rejected: it failed authentication (tampered, or written with another key)', { leaveAlone: true });
    }
  }
}

/** A 32-byte key from bytes, 64 hex digits, or base64 / base64url. The message never shows the key. */
export function parseTokenKey(raw: Uint8Array | string, source = 'key'): Buffer {
  return Buffer.from(decodeTokenKey(raw, source));
}
