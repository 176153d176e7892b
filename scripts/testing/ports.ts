// Ports for the child servers tests start by number (Prism, redis-server). They are picked below the
// kernel's ephemeral range, because every test server in every parallel test process listens on port 0
// and gets its port from that range: a port picked there could be handed to one of them between the
// check and the child's bind, and a readiness probe or a restarted child would then reach a stranger.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > 12_000) return low;
  } catch {
    // Not Linux: fall through to the IANA dynamic range, which macOS and Windows use.
  }
  return 49_152;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that is free now, outside the range the kernel hands to port-0 listeners. */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralStart();
  for (let i = 0; i < 100; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
