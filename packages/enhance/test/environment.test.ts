import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturingLogger, json, startServer, type TestServer } from '../../../scripts/testing/kit.js';
import { createEnhanceClient, InvalidArgumentError } from '../src/index.js';

let server: TestServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

describe('options from the environment', () => {
  it('reads ENHANCE_BASE_URL and ENHANCE_TOKEN when the options are left out; given options win', async () => {
    server = await startServer((req, res) => json(res, 200, { url: req.url, authorization: req.headers.authorization }));
    vi.stubEnv('ENHANCE_BASE_URL', server.url);
    vi.stubEnv('ENHANCE_TOKEN', 'env-token-123');
    const enhance = createEnhanceClient();
    await enhance.customers.get({ org_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer env-token-123');
    await createEnhanceClient({ token: 'given-token' }).customers.get({ org_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' });
    expect(server.requests[1]!.headers.authorization).toBe('Bearer given-token');
  });

  it('names the option and the variable when a required setting is missing, never calling a placeholder host', () => {
    expect(() => createEnhanceClient({ token: 't' })).toThrow(InvalidArgumentError);
    expect(() => createEnhanceClient({ token: 't' })).toThrow(/panel.*ENHANCE_PANEL/);
    expect(() => createEnhanceClient({ panel: 'cp.example.com' })).toThrow(/token.*ENHANCE_TOKEN/);
    vi.stubEnv('ENHANCE_PANEL', 'cp.example.net');
    expect(createEnhanceClient({ token: 't' }).raw).toBeDefined();
  });

  it('logs to the console at the level PROVIDER_SDK_LOG names when no logger is given', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    vi.stubEnv('PROVIDER_SDK_LOG', 'debug');
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'debug').mockImplementation((line: string) => void lines.push(line));
    await createEnhanceClient({ baseUrl: server.url, token: 'secret-token-9' }).customers.get({ org_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }).catch(() => undefined);
    spy.mockRestore();
    expect(lines.some((l) => l.includes('→ GET'))).toBe(true);
    const log = capturingLogger();
    await createEnhanceClient({ baseUrl: server.url, token: 't', logger: log.logger }).customers.get({ org_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }).catch(() => undefined);
    expect(log.lines.some((l) => l.level === 'debug')).toBe(true);
  });
});
