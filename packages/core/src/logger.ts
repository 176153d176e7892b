/**
 * An optional, structured logger. The runtime only ever hands it redacted URLs and scrubbed text;
 * headers and bodies are never logged.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

export interface LogFields {
  operationId?: string | undefined;
  method?: string;
  url?: string;
  status?: number;
  attempt?: number;
  durationMs?: number;
  retryInMs?: number;
  error?: string;
  [key: string]: unknown;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** A Logger that also says whether a level is on, so that callers skip building lines nobody reads. */
export interface LevelledLogger extends Logger {
  enabled(level: Exclude<LogLevel, 'off'>): boolean;
}

/** Wraps a logger so that lines below `level` are dropped and every string is scrubbed. */
export function levelledLogger(logger: Logger | undefined, level: LogLevel, scrub: (s: string) => string): LevelledLogger {
  const min = RANK[level];
  const enabled = (lvl: Exclude<LogLevel, 'off'>) => logger !== undefined && RANK[lvl] >= min;
  const emit = (lvl: Exclude<LogLevel, 'off'>) => (message: string, fields?: LogFields) => {
    if (!enabled(lvl)) return;
    logger![lvl](scrub(message), fields ? scrubFields(fields, scrub) : undefined);
  };
  return { enabled, debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function scrubFields(fields: LogFields, scrub: (s: string) => string): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? scrub(v) : v;
  return out;
}

/** A logger that writes one line per event to the console (stderr for warn and error). */
export function consoleLogger(prefix = 'provider-sdk'): Logger {
  const line = (message: string, fields?: LogFields) =>
    fields && Object.keys(fields).length ? `[${prefix}] ${message} ${JSON.stringify(fields)}` : `[${prefix}] ${message}`;
  return {
    debug: (m, f) => console.debug(line(m, f)),
    info: (m, f) => console.info(line(m, f)),
    warn: (m, f) => console.warn(line(m, f)),
    error: (m, f) => console.error(line(m, f)),
  };
}
