/**
 * What provider-sdk needs from a Redis client (RedisTokenStore, RedisRateLimiter), and adapters for
 * node-redis (`redis`, `@redis/client`, v4 and later) and ioredis. Core depends on no Redis library:
 * give it any client through `RedisCommands`.
 *
 * Every operation is bounded (`timeoutMs`, default 250 ms): a Redis that is down, restarting or
 * unreachable costs one bounded wait, then the caller carries on without it (RedisGuard) and tries
 * again after `retryIntervalMs`. Web-standard APIs only (crypto.subtle, setTimeout).
 */
export interface RedisCommands {
  get(key: string): Promise<string | null | undefined>;
  /** SET key value PX ttlMs. */
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  /** SET key value PX ttlMs NX; resolves whether the key was set. */
  setIfAbsent?(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<unknown>;
  /**
   * EVAL script with these keys and arguments (an adapter may use EVALSHA first). Needed for the
   * atomic steps: the token store's lock (compare-and-delete, compare-and-renew) and the limiter.
   */
  eval?(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /**
   * What the client knows of its connection: `ready` (connected and answering), `connecting` (not
   * connected yet for the first time) or `down` (it lost its connection and is reconnecting, or was
   * closed). When `down`, provider-sdk does not wait for an answer at all (a client that queues
   * commands while it reconnects would hold them); when `ready`, one slow answer is waited for a
   * little longer than `timeoutMs` rather than taken for an outage.
   */
  connection?(): 'ready' | 'connecting' | 'down';
}

/** The part of a node-redis (v4 and later) client provider-sdk uses. */
export interface NodeRedisLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX?: boolean }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval?(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  evalSha?(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  readonly isReady?: boolean;
}

/** The part of an ioredis client provider-sdk uses. */
export interface IoRedisLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx?: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval?(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  evalsha?(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  readonly status?: string;
}

export function nodeRedisAdapter(client: NodeRedisLike): RedisCommands {
  const commands: RedisCommands = {
    get: async (key) => text(await client.get(key)),
    set: (key, value, ttlMs) => client.set(key, value, { PX: ttlMs }),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, { PX: ttlMs, NX: true })) !== null,
    del: (key) => client.del(key),
  };
  if (typeof client.isReady === 'boolean') {
    let seenReady = false;
    commands.connection = () => {
      if (client.isReady) {
        seenReady = true;
        return 'ready';
      }
      return seenReady ? 'down' : 'connecting';
    };
  }
  if (typeof client.eval === 'function') {
    const evalScript = client.eval.bind(client);
    const evalSha = typeof client.evalSha === 'function' ? client.evalSha.bind(client) : undefined;
    commands.eval = (script, keys, args) => {
      const options = { keys: [...keys], arguments: [...args] };
      return withScriptCache(script, evalSha && ((sha) => evalSha(sha, options)), () => evalScript(script, options));
    };
  }
  return commands;
}

export function ioredisAdapter(client: IoRedisLike): RedisCommands {
  const commands: RedisCommands = {
    get: async (key) => text(await client.get(key)),
    set: (key, value, ttlMs) => client.set(key, value, 'PX', ttlMs),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, 'PX', ttlMs, 'NX')) !== null,
    del: (key) => client.del(key),
  };
  // ioredis: wait, connecting, connect, ready, reconnecting, close, end.
  if (typeof client.status === 'string') {
    commands.connection = () => (client.status === 'ready' ? 'ready' : ['reconnecting', 'close', 'end'].includes(client.status!) ? 'down' : 'connecting');
  }
  if (typeof client.eval === 'function') {
    const evalScript = client.eval.bind(client);
    const evalSha = typeof client.evalsha === 'function' ? client.evalsha.bind(client) : undefined;
    commands.eval = (script, keys, args) =>
      withScriptCache(script, evalSha && ((sha) => evalSha(sha, keys.length, ...keys, ...args)), () => evalScript(script, keys.length, ...keys, ...args));
  }
  return commands;
}

const shas = new Map<string, Promise<string>>();

/** EVALSHA when the server has the script (it usually has after the first call), EVAL otherwise. */
async function withScriptCache(script: string, bySha: ((sha: string) => Promise<unknown>) | undefined, byText: () => Promise<unknown>): Promise<unknown> {
  if (!bySha || !globalThis.crypto?.subtle) return byText();
  let sha = shas.get(script);
  if (!sha) {
    sha = globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(script)).then((digest) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    shas.set(script, sha);
  }
  try {
    return await bySha(await sha);
  } catch (error) {
    if (/^NOSCRIPT/.test(error instanceof Error ? error.message : String(error))) return byText();
    throw error;
  }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

/** Redis did not answer in time, is not connected, or was skipped because it failed moments ago. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
  /** `TIMEOUT` (no answer within the bound), `DISCONNECTED` (the client says so), `SKIPPED` (it failed moments ago). */
  readonly code: 'TIMEOUT' | 'DISCONNECTED' | 'SKIPPED';
  constructor(message: string, code: 'TIMEOUT' | 'DISCONNECTED' | 'SKIPPED') {
    super(message);
    this.code = code;
  }
}

export interface RedisGuardOptions {
  /** The longest a caller waits for one Redis operation before carrying on without it. Default 250 ms. */
  timeoutMs?: number;
  /** After Redis failed, how long it is not asked again (operations fail at once). Default 1 s. */
  retryIntervalMs?: number;
}

/** How much longer than `timeoutMs` one slow answer is waited for while the client says it is connected. */
const PATIENCE = 3;

/**
 * Bounds every Redis operation. Redis counts as down (and is skipped, operations failing at once,
 * for `retryIntervalMs`) when the client says it is disconnected (not waited for at all), when an
 * operation fails, or when no answer comes within `timeoutMs`; except that while the client says
 * its connection is ready, one slow answer (a busy host, a long GC pause) is waited for up to
 * three times `timeoutMs` before Redis counts as down: taking a slow answer for an outage would
 * make the caller spend a local budget on top of the shared one. Says once when Redis became
 * unreachable and once when it is back.
 * @internal
 */
export class RedisGuard {
  readonly timeoutMs: number;
  readonly retryIntervalMs: number;
  private down = false;
  private retryAt = 0;

  constructor(
    options: RedisGuardOptions,
    private readonly report: (level: 'warn' | 'info', message: string) => void,
    private readonly connection?: () => 'ready' | 'connecting' | 'down',
  ) {
    this.timeoutMs = options.timeoutMs ?? 250;
    this.retryIntervalMs = options.retryIntervalMs ?? 1_000;
    if (!(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs))) throw new RangeError('timeoutMs must be a positive number of milliseconds');
    if (!(this.retryIntervalMs >= 0 && Number.isFinite(this.retryIntervalMs))) throw new RangeError('retryIntervalMs must be a number of milliseconds ≥ 0');
  }

  /** Whether Redis failed recently and is being skipped. */
  get skipping(): boolean {
    return this.down && Date.now() < this.retryAt;
  }

  get isDown(): boolean {
    return this.down;
  }

  async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.skipping) throw new RedisUnavailableError(`Redis is unreachable (${what} skipped; tried again after ${this.retryIntervalMs} ms)`, 'SKIPPED');
    if (this.connection?.() === 'down') {
      const error = new RedisUnavailableError(`the Redis client is disconnected (${what})`, 'DISCONNECTED');
      this.markDown(what, error);
      throw error;
    }
    try {
      const value = await bounded(op, this.timeoutMs, what, () => (this.connection?.() === 'ready' ? this.timeoutMs * (PATIENCE - 1) : 0));
      this.markUp();
      return value;
    } catch (error) {
      this.markDown(what, error);
      throw error;
    }
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.report('info', 'Redis is reachable again');
  }

  private markDown(what: string, error: unknown): void {
    const first = !this.down;
    this.down = true;
    this.retryAt = Date.now() + this.retryIntervalMs;
    if (first) this.report('warn', `Redis is unreachable (${what}: ${describeRedisError(error)})`);
  }
}

/** The operation's answer within `ms` (plus `more()` ms, asked when `ms` has passed), or a TIMEOUT. */
function bounded<T>(op: () => Promise<T>, ms: number, what: string, more: () => number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(new RedisUnavailableError(`no answer from Redis within ${ms} ms (${what})`, 'TIMEOUT'));
    let timer = setTimeout(() => {
      const extra = more();
      if (extra > 0) timer = setTimeout(expire, extra);
      else expire();
    }, ms);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(op());
    } catch (error) {
      clearTimeout(timer);
      reject(error);
      return;
    }
    // A late answer (or failure) after the timeout is dropped here, never left unhandled.
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A Redis error as a log line: its class and code, and our own messages; never a value it may quote. */
export function describeRedisError(error: unknown): string {
  if (error instanceof RedisUnavailableError) return error.message;
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

/** Redis's reply to a script as a list of strings (node-redis and ioredis reply alike for these). */
export function replyList(reply: unknown): string[] {
  if (!Array.isArray(reply)) throw new TypeError('unexpected reply from a Redis script');
  return reply.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
}
