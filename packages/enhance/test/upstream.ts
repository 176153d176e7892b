// How `pnpm contract enhance --upstream <url>` authenticates against a real panel.
import { createEnhanceClient } from '../src/index.js';

export const environment = {
  ENHANCE_TOKEN: 'an organization access token (panel: Settings → Access tokens)',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  return createEnhanceClient({ ...options, token: env.ENHANCE_TOKEN! });
}
