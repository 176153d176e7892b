// How `pnpm contract cloud-api --upstream http://<host>:<port>/appserver/rest` authenticates: HTTP Basic.
import { createCloudApiClient } from '../src/index.js';

export const environment = {
  CLOUD_API_USERNAME: 'a cloud user login',
  CLOUD_API_PASSWORD: 'its password',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  return createCloudApiClient({ ...options, username: env.CLOUD_API_USERNAME!, password: env.CLOUD_API_PASSWORD! });
}
