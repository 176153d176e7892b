#!/usr/bin/env node
// Builds the package in the current directory into dist/esm (type-checked tsc emit with
// declarations) and dist/cjs (the same sources transpiled to CommonJS, sharing the declarations).
// One type-check per package; the CommonJS pass is a plain transpile, so it costs little.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const root = process.cwd();
const configPath = join(root, 'tsconfig.build.json');
const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
if (error) fail([error]);
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
if (parsed.errors.length) fail(parsed.errors);

rmSync(join(root, 'dist'), { recursive: true, force: true });

const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const emitted = program.emit();
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length) fail(diagnostics);

const esmDir = parsed.options.outDir;
const cjsDir = join(root, 'dist/cjs');
const srcDir = parsed.options.rootDir;
for (const file of parsed.fileNames) {
  const out = join(cjsDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
  const result = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      ...parsed.options,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      verbatimModuleSyntax: false,
      declaration: false,
      declarationMap: false,
      sourceMap: true,
    },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, result.outputText.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${out.split('/').pop()}.map`));
  if (result.sourceMapText) writeFileSync(`${out}.map`, result.sourceMapText);
}
// Declarations are format-neutral here; under dist/cjs they are read as CommonJS types.
for (const file of walk(esmDir)) {
  if (file.endsWith('.d.ts') || file.endsWith('.d.ts.map')) {
    const target = join(cjsDir, relative(esmDir, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}
writeFileSync(join(cjsDir, 'package.json'), '{ "type": "commonjs" }\n');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function fail(list) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(list, host));
  process.exit(1);
}
