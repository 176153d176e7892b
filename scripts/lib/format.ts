// Generated TypeScript is formatted with Biome (the formatter settings in generated.biome.json), so
// that a spec change gives a readable diff of the generated sources.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const biome = join(dirname(createRequire(import.meta.url).resolve('@biomejs/biome/package.json')), 'bin', 'biome');

export function formatTs(source: string, fileName: string): string {
  const run = spawnSync(process.execPath, [biome, 'format', `--config-path=${join(here, 'generated.biome.json')}`, `--stdin-file-path=${fileName}`], {
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`biome could not format the generated ${fileName}:\n${run.stderr || run.stdout}`);
  return run.stdout;
}
