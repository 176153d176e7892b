// The test harness's child servers: ports no port-0 listener can be handed, and a Prism that is only
// taken as started when it says so itself (a stranger on its port once answered the readiness probe).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/ports.js';
import { startPrism } from '../testing/prism.js';

const SPEC = join(import.meta.dirname, '..', '..', 'specs', 'kandy.yaml');

describe('freePort', () => {
  it('picks bindable ports below the range the kernel hands to port-0 listeners', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow!);
    }
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('startPrism', () => {
  it('does not take a stranger answering on its port for Prism', async () => {
    const port = await freePort();
    const stranger = createServer((_req, res) => res.end('not prism'));
    await new Promise<void>((resolve) => stranger.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startPrism(SPEC, { port })).rejects.toThrow(/Prism exited before listening[\s\S]*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => stranger.close(resolve));
    }
  });

  it('starts on a port of its own and serves the spec', async () => {
    const prism = await startPrism(SPEC);
    try {
      expect(prism.output()).toContain(`Prism is listening on ${prism.url}`);
      const response = await fetch(`${prism.url}/no-such-path`);
      expect(response.status).toBe(404);
    } finally {
      await prism.stop();
    }
  });
});
