// The comparison client: what openapi-generator's typescript-fetch generator makes from the same
// spec, bundled with esbuild. Generated into bench/.work (never committed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { pascalCase, type Provider, ROOT } from '../../scripts/lib/providers.js';

export const WORK = join(ROOT, 'bench', '.work');
const JAR = join(ROOT, 'node_modules/@openapitools/openapi-generator-cli/bin/openapi-generator.jar');

export interface TsFetchClient {
  dir: string;
  /** An ES module bundle of the whole generated client, for Node. */
  bundle: string;
}

export async function generateTsFetch(p: Provider): Promise<TsFetchClient> {
  const dir = join(WORK, p.name, 'typescript-fetch');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('java', [
    '-jar', JAR, 'generate', '-g', 'typescript-fetch', '-i', p.specPath, '-o', dir,
    // enumPropertyNaming=original: with the default, the Pax8 spec's `Pax8Partner` and `Pax8 Partner`
    // (a real quirk) become one enum member twice, and the generated client does not compile.
    `--additional-properties=typescriptThreePlus=true,supportsES6=true,enumPropertyNaming=original,npmName=${p.name}-typescript-fetch`,
  ], { stdio: 'pipe' });
  const entry = join(dir, 'src', 'index.ts');
  if (!existsSync(entry)) throw new Error(`typescript-fetch produced no ${entry}`);
  const bundle = join(WORK, p.name, 'typescript-fetch.mjs');
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: bundle, logLevel: 'error' });
  return { dir, bundle };
}

/** The request-object keys of an operation in the generated API class, in declaration order. */
export function requestKeys(client: TsFetchClient, tag: string, operationId: string): string[] {
  const source = readFileSync(join(client.dir, 'src', 'apis', `${pascalCase(tag)}Api.ts`), 'utf8');
  const match = source.match(new RegExp(`export interface ${pascalCase(operationId)}Request \\{([\\s\\S]*?)\\n\\}`));
  if (!match) return [];
  return [...match[1]!.matchAll(/^\s+(?:readonly\s+)?['"]?([A-Za-z0-9_$]+)['"]?\??:/gm)].map((m) => m[1]!);
}
