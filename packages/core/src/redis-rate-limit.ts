import { type Clock, systemClock } from './clock.js';
import type { Logger } from './logger.js';
import { type Limiter, RateLimiter, WaitQueue, windowOf } from './rate-limit.js';
import {
  type IoRedisLike,
  ioredisAdapter,
  type NodeRedisLike,
  nodeRedisAdapter,
  type RedisCommands,
  RedisGuard,
  type RedisGuardOptions,
  replyList,
} from './redis.js';

/**
 * One rate-limit budget shared by every process and host that uses the same Redis and key: the
 * budget of one provider credential (Pax8: 1000 requests per minute per API credential), however
 * many workers spend it.
 *
 * - **Exact**: a sliding-window log in Redis (a sorted set of the times requests were let through,
 *   on Redis's clock, so hosts whose clocks differ agree), checked and updated by one Lua script,
 *   atomically. No window of `intervalMs` + `marginMs` ever holds more than `limit` grants, wherever
 *   it starts (a fixed-window counter lets up to twice the limit through across a boundary).
 * - **FIFO** within a process, and **AbortSignal**: a caller whose signal aborts leaves at once.
 *   Processes compete for a freed slot as equals.
 * - **Shared 429 pause**: `pause(untilMs)` (which the client calls on a 429 with Retry-After) stores
 *   a "not before" time in Redis that every process honours, so the fleet backs off together.
 * - **Degrades, never hangs**: every Redis call is bounded (`timeoutMs`, default 250 ms). When Redis
 *   is unreachable the limiter warns once through its logger and carries on with a local limiter
 *   (`fallback`, default the same budget, already holding this process's recent requests), probes
 *   Redis in the background every `retryIntervalMs`, and says when it is back.
 *
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * redis.on('error', (e) => logger.warn(`redis: ${e.message}`)); // node-redis emits 'error' on every reconnect attempt
 * await redis.connect();
 * const limiter = RedisRateLimiter.nodeRedis(redis, { key: clientId, limit: 1000, intervalMs: 60_000, logger });
 * ```
 */
export interface RedisRateLimiterOptions extends RedisGuardOptions {
  /** The budget's name, one per credential (e.g. the API client id). Not a secret: it is part of key names. */
  key: string;
  /** Requests per interval: a positive integer, the same in every process sharing the key. */
  limit: number;
  /** Default one minute. */
  intervalMs?: number;
  /** Extra window length for travel-time differences. Default 3 % of `intervalMs`, at most 1 s. */
  marginMs?: number;
  /** The longest a 429's pause holds the fleet. Default 60 s. */
  maxPauseMs?: number;
  /** Prefix of the Redis keys. Default `provider-sdk:rate:`. */
  prefix?: string;
  /** This process's budget while Redis is unreachable. Default the shared one (`limit` per `intervalMs`). */
  fallback?: { limit: number; intervalMs?: number };
  /** Where warnings go (Redis unreachable, back). Default: the console (warnings and notices only). */
  logger?: Logger;
  clock?: Clock;
}

// KEYS[1]: the log (sorted set of grant times), KEYS[2]: the pause ("not before", ms on Redis's clock).
// ARGV[1]: limit, ARGV[2]: window ms, ARGV[3]: a unique member for this grant.
// Returns {granted 0|1, ms to wait, Redis's now}.
const ACQUIRE = `if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = tonumber(redis.call('GET', KEYS[2]) or 0) or 0
if paused > now then return {'0', string.format('%.3f', paused - now), string.format('%.3f', now)} end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window))
  return {'1', '0', string.format('%.3f', now)}
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {'0', string.format('%.3f', tonumber(oldest[2]) + window - now), string.format('%.3f', now)}`;

// KEYS[1]: the pause key. ARGV[1]: ms from now. Keeps the later of the stored and the new time.
const PAUSE = `if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ms = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or 0) or 0
if now + ms > current then redis.call('SET', KEYS[1], string.format('%.3f', now + ms), 'PX', math.ceil(ms)) end
return string.format('%.3f', math.max(now + ms, current))`;

// KEYS[1]: the log. ARGV[1]: window ms, ARGV[2]: offset (Redis's clock minus ours), then pairs of
// (time on our clock, member): the requests this process let through on its local budget while
// Redis was unreachable, so that the shared window counts them. Also the probe: returns Redis's now.
const BACKFILL = `if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local offset = tonumber(ARGV[2])
for i = 3, #ARGV, 2 do
  local at = tonumber(ARGV[i]) + offset
  if at > now - window and at <= now then redis.call('ZADD', KEYS[1], at, ARGV[i + 1]) end
end
if #ARGV > 2 then redis.call('PEXPIRE', KEYS[1], math.ceil(window)) end
return string.format('%.3f', now)`;

const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

export class RedisRateLimiter implements Limiter {
  readonly key: string;
  readonly limit: number;
  readonly intervalMs: number;
  readonly windowMs: number;
  /** The Redis keys: the log and the pause. */
  readonly redisKeys: { readonly log: string; readonly pause: string };

  private readonly commands: RedisCommands & { eval: NonNullable<RedisCommands['eval']> };
  private readonly clock: Clock;
  private logger: Logger;
  private ownLogger: boolean;
  private readonly guard: RedisGuard;
  private readonly local: RateLimiter;
  private readonly queue: WaitQueue;
  private readonly maxPauseMs: number;
  private readonly id = randomId();
  private seq = 0;
  private notBefore = 0;
  /** Redis's clock minus ours, from the last answer. */
  private offset = 0;
  private downSince: number | undefined;
  private probing = false;
  private lastMember: string | undefined;

  constructor(commands: RedisCommands, options: RedisRateLimiterOptions) {
    if (!options || typeof options.key !== 'string' || options.key === '') throw new TypeError('RedisRateLimiter needs a key: the name of the budget (one per credential)');
    if (typeof commands?.eval !== 'function') throw new TypeError('RedisRateLimiter needs a Redis client that can run scripts (eval)');
    const { limit, intervalMs, windowMs } = windowOf(options, 'RedisRateLimiter');
    this.key = options.key;
    this.limit = limit;
    this.intervalMs = intervalMs;
    this.windowMs = windowMs;
    const prefix = options.prefix ?? 'provider-sdk:rate:';
    // One hash tag for both keys, so that a Redis Cluster keeps them in one slot (a script needs that).
    this.redisKeys = { log: `${prefix}{${options.key}}`, pause: `${prefix}{${options.key}}:pause` };
    this.commands = commands as RedisCommands & { eval: NonNullable<RedisCommands['eval']> };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleNotices;
    this.ownLogger = options.logger !== undefined;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.guard = new RedisGuard(
      options,
      (level, message) => this.logger[level](`rate limit "${this.key}": ${message}${level === 'warn' ? `; using a local limit of ${this.local.limit} per ${this.local.intervalMs} ms until it is back` : '; the shared limit applies again'}`),
      commands.connection?.bind(commands),
    );
    const fallback = options.fallback ?? { limit, intervalMs };
    this.local = new RateLimiter({ limit: fallback.limit, intervalMs: fallback.intervalMs ?? intervalMs, marginMs: options.marginMs, maxPauseMs: this.maxPauseMs, clock: this.clock });
    this.queue = new WaitQueue(() => this.take(), this.clock, () => this.release());
    // Loads the scripts and warms the connection before the first caller needs them.
    this.guard.run('warm-up', () => this.commands.eval(BACKFILL, [this.redisKeys.log], [String(this.windowMs), '0'])).catch(() => undefined);
  }

  /** A limiter on a node-redis client (`createClient()` from `redis` or `@redis/client`). */
  static nodeRedis(client: NodeRedisLike, options: RedisRateLimiterOptions): RedisRateLimiter {
    return new RedisRateLimiter(nodeRedisAdapter(client), options);
  }

  /** A limiter on an ioredis client. */
  static ioredis(client: IoRedisLike, options: RedisRateLimiterOptions): RedisRateLimiter {
    return new RedisRateLimiter(ioredisAdapter(client), options);
  }

  /** Whether the shared budget applies right now (false while Redis is unreachable). */
  get shared(): boolean {
    return !this.guard.isDown;
  }

  /** The client's logger, for a limiter created without one of its own (a client passes it on). */
  useLogger(logger: Logger): void {
    if (this.ownLogger) return;
    this.logger = logger;
    this.ownLogger = true;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    return this.queue.enqueue(signal);
  }

  /** Holds every process sharing this budget until `untilMs` (the client's clock), at most `maxPauseMs` from now. */
  pause(untilMs: number): void {
    if (typeof untilMs !== 'number' || !Number.isFinite(untilMs)) return;
    const now = this.clock.now();
    const ms = Math.min(untilMs - now, this.maxPauseMs);
    if (!(ms > 0)) return;
    if (now + ms > this.notBefore) this.notBefore = now + ms;
    this.local.pause(now + ms);
    if (this.guard.isDown) return;
    this.guard.run('pause', () => this.commands.eval(PAUSE, [this.redisKeys.pause], [String(Math.ceil(ms))])).catch(() => undefined);
  }

  private async take(): Promise<number> {
    const now = this.clock.now();
    if (now < this.notBefore) return this.notBefore - now;
    if (!this.guard.isDown) {
      const member = `${this.id}:${++this.seq}`;
      try {
        const reply = await this.guard.run('acquire', () => this.commands.eval(ACQUIRE, [this.redisKeys.log, this.redisKeys.pause], [String(this.limit), String(this.windowMs), member]));
        const [granted, waitMs, redisNow] = replyList(reply);
        this.offset = Number(redisNow) - this.clock.now();
        this.downSince = undefined;
        if (granted === '1') {
          this.local.record();
          this.lastMember = member;
          return 0;
        }
        return Math.max(1, Number(waitMs));
      } catch {
        // Redis is down (the guard said so once through the logger), or this one answer was too slow:
        // this request goes on the local budget, so that no caller waits longer than the bound.
        if (this.guard.isDown) this.downSince ??= now;
      }
    }
    if (this.guard.isDown) this.probe();
    this.lastMember = undefined;
    return this.local.take();
  }

  /** While Redis is down: asks it again in the background (never making a caller wait on it). */
  private probe(): void {
    if (this.probing || this.guard.skipping) return;
    this.probing = true;
    const since = this.downSince ?? this.clock.now();
    const args = [String(this.windowMs), String(this.offset)];
    for (const at of this.local.grantsSince(since)) args.push(String(at), `${this.id}:local:${++this.seq}`);
    this.guard
      .run('probe', () => this.commands.eval(BACKFILL, [this.redisKeys.log], args))
      .then(
        () => {
          this.downSince = undefined;
          this.queue.wake();
        },
        () => undefined,
      )
      .finally(() => {
        this.probing = false;
      });
  }

  /** A slot was taken for a caller who left meanwhile: give it back. */
  private release(): void {
    const member = this.lastMember;
    if (member === undefined || this.guard.isDown) return;
    this.lastMember = undefined;
    this.guard.run('release', () => this.commands.eval(RELEASE, [this.redisKeys.log], [member])).catch(() => undefined);
  }
}

const consoleNotices: Logger = {
  debug: () => undefined,
  info: (message) => console.info(`[provider-sdk] ${message}`),
  warn: (message) => console.warn(`[provider-sdk] ${message}`),
  error: (message) => console.error(`[provider-sdk] ${message}`),
};

function randomId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
