// Several real processes for the cross-process tests: each runs a TypeScript script (through tsx)
// that imports core from source, says `ready` on stdout when it has loaded, starts when it reads
// `go` on stdin (so that they all start at the same moment), and prints JSON lines of results.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface Worker {
  child: ChildProcess;
  pid: number;
  /** Resolves with every JSON line printed and the exit code (null when killed). */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: unknown[]; output: string }>;
  ready: Promise<void>;
  /** Resolves with the first JSON line that matches. */
  line(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  go(): void;
}

/**
 * A fresh folder for worker scripts, inside core's node_modules so that the scripts resolve core's
 * dependencies (@redis/client, ioredis) as its tests do. Remove it when done.
 */
export async function workerDir(): Promise<string> {
  const base = join(CORE_DIR, 'node_modules', '.cache', 'provider-sdk-tests');
  await mkdir(base, { recursive: true });
  return mkdtemp(join(base, 'workers-'));
}

/** Writes `source` to `<dir>/<name>.mts` (imports resolve from core's directory) and returns its path. */
export async function script(dir: string, name: string, source: string): Promise<string> {
  const path = join(dir, `${name}.mts`);
  await writeFile(path, source);
  return path;
}

export function startWorker(path: string, args: string[] = []): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { cwd: CORE_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: unknown[] = [];
  const waiting: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  let output = '';
  let buffer = '';
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    readyResolve = r;
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk;
    buffer += chunk;
    for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
      const text = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
      if (text === 'ready') readyResolve();
      else if (text.startsWith('{')) {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        for (const w of waiting.filter((x) => x.match(line))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: unknown[]; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, lines, output })),
  );
  return {
    child,
    pid: child.pid!,
    done,
    ready,
    line: (match) => {
      const found = lines.find((l) => match(l as Record<string, unknown>));
      if (found) return Promise.resolve(found as Record<string, unknown>);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
    go: () => child.stdin!.write('go\n'),
  };
}

/** Starts the workers, waits until every one has loaded, then lets them all go at once. */
export async function startTogether(path: string, argsOf: (i: number) => string[], count: number): Promise<Worker[]> {
  const workers = Array.from({ length: count }, (_, i) => startWorker(path, argsOf(i)));
  await Promise.race([Promise.all(workers.map((w) => w.ready)), Promise.all(workers.map((w) => w.done)).then((r) => Promise.reject(new Error(`a worker exited before it was ready:\n${r.map((x) => x.output).join('\n')}`)))]);
  for (const w of workers) w.go();
  return workers;
}

/** The lines a worker script starts with: wait for `go`, and a way to print results. */
export const WORKER_PRELUDE = `
import { createInterface } from 'node:readline';
const print = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
const go = new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
process.stdout.write('ready\\n');
await go;
`;
