import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { TokenStoreLock } from '../oauth2.js';
import type { StoredToken, TokenStore } from '../token-cache.js';

/**
 * Tokens in a JSON file shared by every process that uses the same path:
 *
 *     {"version": 1, "tokens": {"<store key>": {"value": "...", "expiresAt": 1700000000000, "refreshAt": ...}}}
 *
 * - owner-only: the file (and a directory it creates) get mode 0600 (0700);
 * - atomic: every write goes to a temporary file in the same directory, is fsynced, then renamed
 *   over the old file, so that a reader (or a crash) never sees a torn file; temporary files left
 *   by a writer that crashed are removed by the next writer;
 * - serialised: read-modify-write runs under a lock file (`<path>.lock`), so that concurrent
 *   writers from several processes do not lose each other's keys;
 * - one token request however many processes start at once: a fetch lock per key
 *   (`<path>.<hash of the key>.fetch.lock`, see clientCredentials) lets one process ask the token
 *   endpoint while the others wait for its token;
 * - locks held by a dead process are broken at once: a lock file names its owner (process id and
 *   host); a lock whose owner is no longer running on this host is stale, and so is one older than
 *   its lifetime (`staleLockMs` for the write lock, renewed while a fetch runs for the fetch lock),
 *   so a crashed holder costs the others well under a second;
 * - forgiving: a missing, unreadable or corrupt file is treated as empty (reported to `onError`
 *   and to the client's logger) and replaced by the next write; it never throws from `get`. A file
 *   this store cannot decrypt (an encrypted one; for EncryptedFileTokenStore, one written with
 *   another key) is reported and left alone: writes fail and the token is kept in memory.
 */
export interface FileTokenStoreOptions {
  /** Told when the file could not be read or was rejected (as is the client's logger). */
  onError?: ((error: Error) => void) | undefined;
  /** How long a writer waits for the write lock held by a live process. Default 5 s. */
  lockTimeoutMs?: number | undefined;
  /** A write lock older than this is considered abandoned, whoever holds it. Default 1 s. */
  staleLockMs?: number | undefined;
  /** Current time in epoch ms (expired entries are dropped on write). Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface TokenFileDocument {
  version: 1;
  tokens: Record<string, StoredToken>;
}

const EXPIRED_GRACE_MS = 60_000;
/** A temporary file whose writer is gone is removed after this; any temporary file after an hour. */
const ORPHAN_TEMP_MS = 10_000;
const ANCIENT_TEMP_MS = 3_600_000;
const HOST = hostname();
const HOST_TAG = createHash('sha256').update(HOST).digest('hex').slice(0, 8);

interface LockInfo {
  owner: string;
  pid: number;
  host: string;
  ttlMs: number;
}

export class FileTokenStore implements TokenStore, TokenStoreLock {
  readonly path: string;
  protected readonly options: FileTokenStoreOptions;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(error: Error) => void>();

  constructor(path: string, options: FileTokenStoreOptions = {}) {
    if (!path) throw new TypeError('FileTokenStore needs a file path');
    this.path = resolve(path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);
    this.options = options;
  }

  addErrorListener(listener: (error: Error) => void): void {
    this.listeners.add(listener);
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

  // ---- the fetch lock (TokenStoreLock), one per key ----

  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const lockPath = this.fetchLockPath(key);
    const info: LockInfo = { owner, pid: process.pid, host: HOST, ttlMs };
    if (await this.createLock(lockPath, info)) return true;
    if (await this.breakIfStale(lockPath, ttlMs)) return this.createLock(lockPath, info);
    return false;
  }

  async renewLock(key: string, owner: string, _ttlMs: number): Promise<boolean> {
    const lockPath = this.fetchLockPath(key);
    const current = await readLock(lockPath);
    if (current?.owner !== owner) return false;
    const now = new Date();
    // Touching (never rewriting) the lock: a lock released meanwhile is not brought back.
    return utimes(lockPath, now, now).then(
      () => true,
      () => false,
    );
  }

  async unlock(key: string, owner: string): Promise<void> {
    await this.releaseLock(this.fetchLockPath(key), owner);
  }

  private fetchLockPath(key: string): string {
    return `${this.path}.${createHash('sha256').update(key).digest('hex').slice(0, 16)}.fetch.lock`;
  }

  /** Turns the document's JSON text into the bytes written to disk (the encrypted store overrides it). */
  protected encode(json: string): Buffer {
    return Buffer.from(json, 'utf8');
  }

  /** Turns the file's bytes back into JSON text; throws (a TokenFileRejected) when they are not acceptable. */
  protected decode(data: Buffer): string {
    if (/^\s*\{\s*"v"\s*:\s*1\s*,\s*"alg"\s*:\s*"AES-256-GCM"/.test(data.subarray(0, 64).toString('utf8'))) {
      throw new TokenFileRejected('an encrypted token file (open it with EncryptedFileTokenStore and its key)', { leaveAlone: true });
    }
    return data.toString('utf8');
  }

  /** The current document; anything unreadable is an empty one. */
  protected async read(): Promise<TokenFileDocument> {
    return (await this.load()).doc;
  }

  /** The document, and why the file was not used when it was not. */
  private async load(): Promise<{ doc: TokenFileDocument; rejected?: TokenFileRejected }> {
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(`token file ${this.path} is unreadable; treating it as empty`, error);
      return { doc: emptyDocument() };
    }
    if (data.length === 0) return { doc: emptyDocument() };
    try {
      return { doc: parseDocument(this.decode(data)) };
    } catch (error) {
      const rejected = error instanceof TokenFileRejected ? error : new TokenFileRejected('corrupt');
      const what = rejected.leaveAlone ? 'it is left as it is, and tokens are kept in memory (delete it, or give this process the right key)' : 'treating it as empty';
      this.report(`token file ${this.path} is ${rejected.message}; ${what}`, error);
      return { doc: emptyDocument(), rejected };
    }
  }

  private report(message: string, cause: unknown): void {
    const error = new Error(message, { cause: cause instanceof Error ? new Error(cause.name) : undefined });
    this.options.onError?.(error);
    for (const listener of this.listeners) {
      try {
        listener(error);
      } catch {
        // a listener's failure is not the store's
      }
    }
  }

  /** Read-modify-write, serialised in this process and (by the lock file) across processes. */
  private update(change: (doc: TokenFileDocument) => void): Promise<void> {
    const run = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const release = await this.lock();
      try {
        await this.removeOrphanTemps();
        const { doc, rejected } = await this.load();
        if (rejected?.leaveAlone) throw new TokenFileRejected(`token file ${this.path} is ${rejected.message}; it is left as it is`, { leaveAlone: true });
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

  private tempPath(kind: string): string {
    return join(dirname(this.path), `.${basename(this.path)}.${kind}${HOST_TAG}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  }

  private async writeAtomically(content: Buffer): Promise<void> {
    const dir = dirname(this.path);
    const temp = this.tempPath('');
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

  /**
   * Removes temporary files of this store whose writer crashed: written on this host by a process
   * that is gone (and older than a few seconds), or older than an hour whoever wrote them. Runs
   * under the write lock, so that no live writer of this host is between writing and renaming.
   */
  private async removeOrphanTemps(): Promise<void> {
    const dir = dirname(this.path);
    const prefix = `.${basename(this.path)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      // `.<file>.[lock.]<host tag>.<pid>.<random>.tmp` (before the host tag: `.<file>.<pid>.<random>.tmp`)
      const match = /^(?:lock\.)?(?:([0-9a-f]{8})\.)?(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
      if (!match) continue;
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (!info) continue;
      const age = now - info.mtimeMs;
      const writerGone = (match[1] ?? HOST_TAG) === HOST_TAG && Number(match[2]) !== process.pid && !isRunning(Number(match[2]));
      if ((writerGone && age > ORPHAN_TEMP_MS) || age > ANCIENT_TEMP_MS) await unlink(join(dir, name)).catch(() => undefined);
    }
  }

  /** Takes `<path>.lock`; resolves a release function (a no-op when the lock could not be had). */
  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 5_000);
    const stale = this.options.staleLockMs ?? 1_000;
    const info: LockInfo = { owner: randomUUID(), pid: process.pid, host: HOST, ttlMs: stale };
    for (;;) {
      let created: boolean;
      try {
        created = await this.createLock(lockPath, info);
      } catch {
        return async () => undefined; // cannot lock here (permissions, platform): write atomically anyway
      }
      if (created) return () => this.releaseLock(lockPath, info.owner);
      if (await this.breakIfStale(lockPath, stale)) continue;
      if (Date.now() > deadline) return async () => undefined;
      await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 10)));
    }
  }

  /** Creates a lock file holding `info`, atomically (content and all); false when it exists. */
  private async createLock(lockPath: string, info: LockInfo): Promise<boolean> {
    const temp = this.tempPath('lock.');
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(info));
    } finally {
      await handle.close();
    }
    try {
      await link(temp, lockPath);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // No hard links here (some network and FUSE file systems): an exclusive create, then the content.
      const direct = await open(lockPath, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') return undefined;
        throw e;
      });
      if (!direct) return false;
      await direct.writeFile(JSON.stringify(info)).finally(() => direct.close());
      return true;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  private async releaseLock(lockPath: string, owner: string): Promise<void> {
    const current = await readLock(lockPath);
    if (current?.owner === owner) await unlink(lockPath).catch(() => undefined);
  }

  /**
   * Removes the lock when it is stale: its owner no longer runs on this host, or it is older than
   * its lifetime (mtime, which a fetch renews). One breaker at a time (`<lock>.break`), and only
   * the very lock found stale, so that two breakers never remove a lock just taken by a third.
   * Resolves whether the lock is gone.
   */
  private async breakIfStale(lockPath: string, ttlMs: number): Promise<boolean> {
    const seen = await inspectLock(lockPath, ttlMs);
    if (!seen) return true;
    if (!seen.stale) return false;
    const breaker = `${lockPath}.break`;
    const handle = await open(breaker, 'wx', 0o600).catch(() => undefined);
    if (!handle) {
      // Someone else is breaking it; a breaker that died leaves its file behind: clear it after a second.
      const info = await stat(breaker).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 1_000) await unlink(breaker).catch(() => undefined);
      return false;
    }
    await handle.close();
    try {
      const again = await inspectLock(lockPath, ttlMs);
      if (!again) return true;
      if (!again.stale || again.owner !== seen.owner) return false;
      await unlink(lockPath).catch(() => undefined);
      return true;
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }
}

/** A file whose content was refused (e.g. it failed authentication). `leaveAlone`: never overwrite it. */
export class TokenFileRejected extends Error {
  override name = 'TokenFileRejected';
  readonly leaveAlone: boolean;
  constructor(message: string, options: { leaveAlone?: boolean } = {}) {
    super(message);
    this.leaveAlone = options.leaveAlone ?? false;
  }
}

async function readLock(lockPath: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockInfo>;
    return typeof info.owner === 'string' ? (info as LockInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock's owner and whether it is stale; undefined when there is no lock. */
async function inspectLock(lockPath: string, ttlMs: number): Promise<{ owner: string | undefined; stale: boolean } | undefined> {
  const info = await stat(lockPath).catch(() => undefined);
  if (!info) return undefined;
  const content = await readLock(lockPath);
  const age = Date.now() - info.mtimeMs;
  if (content && content.host === HOST && typeof content.pid === 'number' && content.pid !== process.pid && !isRunning(content.pid)) return { owner: content.owner, stale: true };
  const lifetime = content && typeof content.ttlMs === 'number' && content.ttlMs > 0 ? content.ttlMs : ttlMs;
  return { owner: content?.owner, stale: age > lifetime };
}

/** Whether a process with this id runs on this host (EPERM: it does, as another user). */
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
