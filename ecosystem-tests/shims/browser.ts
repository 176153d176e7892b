// The entry of a Chromium page: one package's program, bundled for the browser with everything in it.
import { type Config, check, type Program, type Verdict } from './check.js';

export async function start(name: string, program: Program, config: Config): Promise<void> {
  const verdict = await check(name, program, config);
  const page = globalThis as unknown as { __ecosystem?: Verdict; navigator: { userAgent: string } };
  page.__ecosystem = { ...verdict, runtime: page.navigator.userAgent };
}
