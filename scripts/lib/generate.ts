// One provider's generation, all or nothing: check the spec, produce every output in memory, and
// only then replace the files (each written to a temporary file and renamed). A spec with an error
// leaves the package exactly as it was.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateApiTable, generateClientTs, generateCoreTs, generateNodeTs, generateOperationsTs, generateResponsesTs, generateSchemaTs, spliceReadme } from './codegen.js';
import { formatTs } from './format.js';
import { generateMockTs } from './mockgen.js';
import { type Provider, rel } from './providers.js';
import { lintSpec, parseSpec, SpecError, type SpecProblem, validateWithOpenApiGenerator } from './spec-check.js';
import { buildModel } from './spec-model.js';
import { checkModel } from './spec-rules.js';

export interface GeneratedFile {
  path: string;
  content: string;
}

export interface GenerationResult {
  files: GeneratedFile[];
  warnings: SpecProblem[];
  operations: number;
}

export async function generateProvider(p: Provider): Promise<GenerationResult> {
  if (!existsSync(p.specPath)) throw new SpecError(p.specPath, [{ file: rel(p.specPath), rule: 'file', message: 'no such spec', severity: 'error' }]);
  if (!existsSync(join(p.packageDir, 'package.json'))) {
    throw new SpecError(p.specPath, [
      { file: rel(p.specPath), rule: 'package', message: `${rel(p.packageDir)} does not exist; create it with \`pnpm new-provider ${p.name}\``, severity: 'error' },
    ]);
  }
  const doc = parseSpec(p.specPath);
  const warnings = await lintSpec(p.specPath);
  validateWithOpenApiGenerator(p.specPath);
  const model = buildModel(doc, p.name);
  const modelProblems = checkModel(model, rel(p.specPath), new Set(Object.keys(doc.components?.schemas ?? {})));
  if (modelProblems.length) throw new SpecError(p.specPath, modelProblems);

  const generatedDir = join(p.packageDir, 'src', 'generated');
  const readmePath = join(p.packageDir, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : `# ${p.npmName}\n`;
  const sources: [string, string][] = [
    ['schema.ts', await generateSchemaTs(p, doc)],
    ['operations.ts', generateOperationsTs(p, doc, model)],
    ['responses.ts', generateResponsesTs(p, doc, model)],
    ['client.ts', generateClientTs(p, doc, model)],
    ['core.ts', generateCoreTs(p)],
    ['node.ts', generateNodeTs(p)],
    ['mock.ts', generateMockTs(p, doc, model)],
  ];
  const files: GeneratedFile[] = [
    ...sources.map(([name, content]) => ({ path: join(generatedDir, name), content: formatTs(content, name) })),
    { path: readmePath, content: spliceReadme(readme, generateApiTable(p, model)) },
  ];
  return { files, warnings, operations: model.operations.length };
}

/** Files whose content on disk differs from what generation produces. */
export function staleFiles(files: GeneratedFile[]): string[] {
  return files.filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.content).map((f) => rel(f.path));
}

export function writeFiles(files: GeneratedFile[]): string[] {
  const changed = files.filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.content);
  const staged = changed.map((f) => {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.content);
    return { tmp, path: f.path };
  });
  for (const { tmp, path } of staged) renameSync(tmp, path);
  return changed.map((f) => rel(f.path));
}
