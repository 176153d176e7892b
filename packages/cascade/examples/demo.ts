import { createCascadeClient } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  const client = createCascadeClient({ baseUrl });
  print('client groups', Object.keys(client).filter((k) => k !== 'raw'));
}
