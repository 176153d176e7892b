import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { StoredToken, TokenStore } from '../token-cache.js';

/**
 * Tokens in a JSON file shared by every process that uses the same path:
 *
 *     {"version": 1, "tokens": {"<store key>": {"value": "...", "expiresAt": 1700000000000, "refreshAt": ...}}}
 *
 * - owner-only: the file (and a directory it creates) get mode 0600 (0700);
 * - atomic: every write goes to a temporary file in the same directory, is fsynced, then renamed
 *   over the old file, so that a reader (or a crash) never sees a torn file;
 * - serialised: read-modify-write runs under a lock file (`<path>.lock`), so that concurrent
 *   writers from several processes do not lose each other's keys; an abandoned lock is broken
 *   after `staleLockMs`, and a writer that cannot get the lock in time still writes atomically;
 * - forgiving: a missing, unreadable or corrupt file is treated as empty (reported to `onError`)
 *   and replaced by the next write; it never throws from `get`.
 */
export interface FileTokenStoreOptions {
  /** Told when the file could not be read or was rejected and is treated as empty. */
  onError?: ((error: Error) => void) | undefined;
  /** How long a writer waits for the lock file. Default 5 s. */
  lockTimeoutMs?: number | undefined;
  /** A lock file older than this is considered abandoned. Default 10 s. */
  staleLockMs?: number | undefined;
  /** Current time in epoch ms (expired entries are dropped on write). Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface TokenFileDocument {
  version: 1;
  tokens: Record<string, StoredToken>;
}

const EXPIRED_GRACE_MS = 60_000;

export class FileTokenStore implements TokenStore {
  readonly path: string;
  protected readonly options: FileTokenStoreOptions;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: FileTokenStoreOptions = {}) {
    if (!path) throw new TypeError('FileTokenStore needs a file path');
    this.path = resolve(path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);
    this.options = options;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const doc = await this.read();
    return doc.tokens[key];
  }

  async set(key: string, token: StoredToken): Promise<void> {
    await this.update((doc) => {
      doc.tokens[key] = { value: token.value, expiresAt: token.expiresAt, ...(token.refreshAt === undefined ? {} : { refreshAt: token.refreshAt }) };
    });
  }

  async delete(key: string): Promise<void> {
    await this.update((doc) => {
      delete doc.tokens[key];
    });
  }

  /** Turns the document's JSON text into the bytes written to disk (the encrypted store overrides it). */
  protected encode(json: string): Buffer {
    return Buffer.from(json, 'utf8');
  }

  /** Turns the file's bytes back into JSON text; throws when they are not acceptable. */
  protected decode(data: Buffer): string {
    return data.toString('utf8');
  }

  /** The current document; anything unreadable is an empty one. */
  protected async read(): Promise<TokenFileDocument> {
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(`token file ${this.path} is unreadable; treating it as empty`, error);
      return emptyDocument();
    }
    if (data.length === 0) return emptyDocument();
    try {
      return parseDocument(this.decode(data));
    } catch (error) {
      this.report(`token file ${this.path} is ${error instanceof TokenFileRejected ? error.message : 'corrupt'}; treating it as empty`, error);
      return emptyDocument();
    }
  }

  private report(message: string, cause: unknown): void {
    const error = new Error(message, { cause: cause instanceof Error ? new Error(cause.name) : undefined });
    this.options.onError?.(error);
  }

  /** Read-modify-write, serialised in this process and (by the lock file) across processes. */
  private update(change: (doc: TokenFileDocument) => void): Promise<void> {
    const run = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const release = await this.lock();
      try {
        const doc = await this.read();
        change(doc);
        const now = (this.options.now ?? Date.now)();
        for (const [k, t] of Object.entries(doc.tokens)) if (t.expiresAt + EXPIRED_GRACE_MS < now) delete doc.tokens[k];
        await this.writeAtomically(this.encode(JSON.stringify(doc)));
      } finally {
        await release();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async writeAtomically(content: Buffer): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(content);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    // Make the rename itself durable; not every platform can fsync a directory.
    const dirHandle = await open(dir, 'r').catch(() => undefined);
    await dirHandle?.sync().catch(() => undefined);
    await dirHandle?.close().catch(() => undefined);
  }

  /** Takes `<path>.lock`; resolves a release function (a no-op when the lock could not be had). */
  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 5_000);
    const stale = this.options.staleLockMs ?? 10_000;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx', 0o600);
        await handle.writeFile(String(process.pid)).catch(() => undefined);
        await handle.close();
        return () => unlink(lockPath).catch(() => undefined);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return async () => undefined;
      }
      const info = await stat(lockPath).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > stale) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) return async () => undefined;
      await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 10)));
    }
  }
}

/** A file whose content was refused (e.g. it failed authentication). */
export class TokenFileRejected extends Error {
  override name = 'TokenFileRejected';
}

function emptyDocument(): TokenFileDocument {
  return { version: 1, tokens: {} };
}

function parseDocument(text: string): TokenFileDocument {
  const data = JSON.parse(text) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new TokenFileRejected('not a token document');
  const tokens = (data as { tokens?: unknown }).tokens;
  if (!tokens || typeof tokens !== 'object' || Array.isArray(tokens)) throw new TokenFileRejected('not a token document');
  const out: Record<string, StoredToken> = {};
  for (const [key, raw] of Object.entries(tokens as Record<string, unknown>)) {
    const t = raw as Partial<StoredToken> | null;
    if (!t || typeof t.value !== 'string' || typeof t.expiresAt !== 'number') continue;
    out[key] = { value: t.value, expiresAt: t.expiresAt, ...(typeof t.refreshAt === 'number' ? { refreshAt: t.refreshAt } : {}) };
  }
  return { version: 1, tokens: out };
}
