// spec:diff's second opinion: compare the generated public surface of two versions of a spec with
// the TypeScript checker. For every method both versions have, a call written against the old
// client must still compile against the new one, and the new result must still be usable where the
// old result was. Either failing is a breaking change, whatever the spec rules said (for example,
// paging added to a list changes what the method resolves).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { generateClientTs, generateOperationsTs, generateResponsesTs, generateSchemaTs } from './codegen.js';
import { type Provider, ROOT } from './providers.js';
import type { OpenApiDocument } from './spec-check.js';
import { buildModel } from './spec-model.js';
import { methodsOf } from './surface.js';

export interface SurfaceBreak {
  /** `group.method` */
  method: string;
  kind: 'call' | 'result';
  /** The compiler's message. */
  detail: string;
}

export async function diffSurface(p: Provider, before: OpenApiDocument, after: OpenApiDocument): Promise<SurfaceBreak[]> {
  const root = mkdtempSync(join(tmpdir(), 'surface-diff-'));
  try {
    const models = { old: buildModel(before, p.name), new: buildModel(after, p.name) };
    for (const [dir, doc] of [['old', before], ['new', after]] as const) {
      mkdirSync(join(root, dir));
      writeFileSync(join(root, dir, 'schema.ts'), await generateSchemaTs(p, doc));
      writeFileSync(join(root, dir, 'operations.ts'), generateOperationsTs(p, doc, models[dir]));
      writeFileSync(join(root, dir, 'responses.ts'), generateResponsesTs(p, doc, models[dir]));
      writeFileSync(join(root, dir, 'client.ts'), generateClientTs(p, doc, models[dir]));
    }
    const api = `${p.typeName}Api`;
    const newMethods = new Set(methodsOf(models.new).map((m) => `${m.tag.property}.${m.name}`));
    const lines = [`import type { ${api} as Old } from './old/client.js';`, `import type { ${api} as New } from './new/client.js';`, 'declare const next: New;'];
    const owner = new Map<number, { method: string; kind: SurfaceBreak['kind'] }>();
    for (const m of methodsOf(models.old)) {
      const key = `${m.tag.property}.${m.name}`;
      if (!newMethods.has(key)) continue; // a removed method is the spec rules' finding
      const oldFn = `Old['${m.tag.property}']['${m.name}']`;
      const newFn = `New['${m.tag.property}']['${m.name}']`;
      owner.set(lines.length, { method: key, kind: 'call' });
      lines.push(`next.${m.tag.property}.${m.name}(...(null as unknown as Parameters<${oldFn}>));`);
      owner.set(lines.length, { method: key, kind: 'result' });
      lines.push(`((r: Awaited<ReturnType<${newFn}>>): Awaited<ReturnType<${oldFn}>> => r);`);
    }
    const compat = join(root, 'compat.ts');
    writeFileSync(compat, `${lines.join('\n')}\n`);
    const program = ts.createProgram([compat], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      paths: { '@provider-sdk/core': [join(ROOT, 'packages', 'core', 'src', 'index.ts')] },
    });
    const breaks: SurfaceBreak[] = [];
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]!;
      if (d.file?.fileName !== compat || d.start === undefined) {
        const at = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
        throw new Error(`the generated surface of ${p.name} does not compile: ${at}${message}`);
      }
      const where = owner.get(d.file.getLineAndCharacterOfPosition(d.start).line);
      if (where && !breaks.some((b) => b.method === where.method && b.kind === where.kind)) breaks.push({ ...where, detail: message });
    }
    return breaks;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
