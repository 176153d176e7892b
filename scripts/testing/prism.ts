// Starts Prism for a spec on 127.0.0.1 and a free port, waits until it answers, and stops it.
// Every child is also killed when this process exits, so no run leaves a Prism behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface PrismOptions {
  /** `mock` serves the spec's examples; `proxy` forwards to `upstream` and validates both ways. */
  mode?: 'mock' | 'proxy';
  upstream?: string;
  /** Turn response violations into 500s (catches examples that contradict their schemas). Default true. */
  errors?: boolean;
  port?: number;
  /**
   * Give up waiting for the first answer after this long. Default 120 s (a mock answers after about
   * 2 s on an idle machine, but much later on a loaded 2-core one), or PROVIDER_SDK_PRISM_START_MS.
   */
  startTimeoutMs?: number;
}

export interface PrismServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** What Prism has printed so far. */
  output(): string;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function prismEntry(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@stoplight/prism-cli/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin.prism ?? Object.values(pkg.bin)[0]!);
  return join(dirname(pkgPath), bin);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrism(specPath: string, options: PrismOptions = {}): Promise<PrismServer> {
  const mode = options.mode ?? 'mock';
  const port = options.port ?? (await freePort());
  const args = [prismEntry(), mode, '-h', '127.0.0.1', '-p', String(port)];
  if (options.errors ?? true) args.push('--errors');
  args.push(specPath);
  if (mode === 'proxy') {
    if (!options.upstream) throw new Error('proxy mode needs an upstream URL');
    args.push(options.upstream);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? (Number(process.env.PROVIDER_SDK_PRISM_START_MS) || 120_000);
  const deadline = Date.now() + startTimeoutMs;
  let done = false;
  exited.then(() => (done = true));
  for (;;) {
    if (done) throw new Error(`Prism exited before answering (${specPath}):\n${output.slice(-2000)}`);
    try {
      // Any HTTP answer (even 404) means Prism is listening.
      await fetch(`${url}/__prism_ready__`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Prism did not answer within ${startTimeoutMs} ms (${specPath}):\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
