// vitest globalSetup: one Prism mock per spec the package's tests need, started once for the whole
// run and stopped at its end. Clears the package's previous coverage records first.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { provider } from '../lib/providers.js';
import { type PrismServer, startPrism } from './prism.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const names = (process.env.PROVIDER_SDK_MOCKS ?? '').split(',').filter(Boolean);
  const recordDir = process.env.PROVIDER_SDK_CONTRACT_DIR;
  if (recordDir) rmSync(recordDir, { recursive: true, force: true });
  const servers: PrismServer[] = [];
  try {
    for (const server of await Promise.all(names.map((name) => startPrism(provider(name).specPath)))) servers.push(server);
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  project.provide('mocks', Object.fromEntries(names.map((name, i) => [name, servers[i]!.url])));
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
