// The entry of the Node.js, Bun and Deno runs: every package's program in one process, one verdict
// line each. Bundled by esbuild with the packages left external, so each `import` of a package is
// resolved by the runtime itself from the consumer's node_modules (as ESM, or as `require` for CJS).
import { type Config, check, type Program } from './check.js';

declare const Bun: { version: string } | undefined;
declare const Deno: { version: { deno: string } } | undefined;
declare const process: { version: string } | undefined;

export async function runAll(programs: Record<string, Program>, config: Config): Promise<void> {
  const runtime =
    typeof Bun !== 'undefined' ? `bun ${Bun.version}` : typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : `node ${process?.version}`;
  for (const [name, program] of Object.entries(programs)) {
    const verdict = await check(name, program, config);
    console.log(`ECOSYSTEM ${JSON.stringify({ ...verdict, runtime })}`);
  }
}
