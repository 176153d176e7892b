// The entry of a workerd worker (no nodejs_compat): one package's program, bundled for workers with
// everything in it. `workerd test` calls `test()`; the verdict goes to the log, and a failure throws.
import { type Config, check, type Program } from './check.js';

export function worker(name: string, program: Program, config: Config) {
  return {
    async test(): Promise<void> {
      const verdict = await check(name, program, config);
      console.log(`ECOSYSTEM ${JSON.stringify({ ...verdict, runtime: 'workerd' })}`);
      if (!verdict.ok) throw new Error(verdict.detail);
    },
  };
}
