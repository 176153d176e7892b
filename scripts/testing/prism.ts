// Starts Prism for a spec on 127.0.0.1 and a free port, waits until it says it listens, and stops it.
// Every child is also killed when this process exits, so no run leaves a Prism behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './ports.js';

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

export { freePort } from './ports.js';

export async function startPrism(specPath: string, options: PrismOptions = {}): Promise<PrismServer> {
  // Another process may bind the picked port before Prism does; Prism then exits with EADDRINUSE.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startPrismOn(specPath, port, options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === 5) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startPrismOn(specPath: string, port: number, options: PrismOptions): Promise<PrismServer> {
  const mode = options.mode ?? 'mock';
  const args = [prismEntry(), mode, '-h', '127.0.0.1', '-p', String(port)];
  if (options.errors ?? true) args.push('--errors');
  args.push(specPath);
  if (mode === 'proxy') {
    if (!options.upstream) throw new Error('proxy mode needs an upstream URL');
    args.push(options.upstream);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));

  // Prism's own line, not an HTTP probe: any server on the port would answer a probe.
  const startTimeoutMs = options.startTimeoutMs ?? (Number(process.env.PROVIDER_SDK_PRISM_START_MS) || 120_000);
  const listening = `Prism is listening on ${url}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Prism did not start within ${startTimeoutMs} ms (${specPath}):\n${output.slice(-2000)}`));
    }, startTimeoutMs);
    const onData = (d: Buffer) => {
      output += d;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: colours, when FORCE_COLOR is set
      if (output.replace(/\x1b\[[0-9;]*m/g, '').includes(listening)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then(() => {
      clearTimeout(timer);
      const message = `Prism exited before listening (${specPath}):\n${output.slice(-2000)}`;
      reject(output.includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message));
    });
  });

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
