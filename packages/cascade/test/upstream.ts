// How `pnpm contract cascade --upstream <url>` authenticates against a real Cascade API.
import { createCascadeClient } from '../src/index.js';

export const environment = {
  CASCADE_USERNAME: 'the Cascade API user name (sent as X-Username)',
  CASCADE_PASSWORD: 'the Cascade API password (sent as X-Password)',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  return createCascadeClient({ ...options, username: env.CASCADE_USERNAME!, password: env.CASCADE_PASSWORD! });
}
