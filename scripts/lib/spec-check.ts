// Loads a spec and checks it two independent ways before anything is generated from it:
// 1. the project's ruleset (redocly.yaml) through @redocly/openapi-core, in process;
// 2. openapi-generator's `validate` (Java), a separate parser and rule set.
// Every problem is reported as `file:line:col rule: message`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLineColLocation, lint, loadConfig, type NormalizedProblem } from '@redocly/openapi-core';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { ROOT, rel } from './providers.js';

export interface SpecProblem {
  file: string;
  line?: number;
  col?: number;
  rule: string;
  message: string;
  severity: 'error' | 'warn';
}

export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(file: string, problems: SpecProblem[]) {
    super(`${rel(file)}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map(formatProblem).join('\n')}`);
    this.problems = problems;
  }
}

export function formatProblem(p: SpecProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return `  ${where} ${p.severity} ${p.rule}: ${p.message}`;
}

export type OpenApiDocument = Record<string, any>;

/** Parses the YAML, reporting syntax errors with their position. */
export function parseSpec(file: string, text = readFileSync(file, 'utf8')): OpenApiDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new SpecError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file: rel(file), line: pos.line, col: pos.col, rule: 'yaml', message: e.message.split('\n')[0] ?? e.message, severity: 'error' };
      }),
    );
  }
  if (!isMap(doc.contents)) {
    throw new SpecError(file, [{ file: rel(file), rule: 'yaml', message: 'the document is not a YAML mapping', severity: 'error' }]);
  }
  return doc.toJS({ maxAliasCount: 100 }) as OpenApiDocument;
}

/** Lints with the project ruleset; errors throw, warnings are returned. */
export async function lintSpec(file: string): Promise<SpecProblem[]> {
  const config = await loadConfig({ configPath: join(ROOT, 'redocly.yaml') });
  const problems = (await lint({ ref: file, config })).filter((p) => p.ignored !== true);
  const mapped = problems.map((p) => toProblem(file, p));
  const errors = mapped.filter((p) => p.severity === 'error');
  if (errors.length) throw new SpecError(file, errors);
  return mapped.filter((p) => p.severity === 'warn');
}

function toProblem(file: string, p: NormalizedProblem): SpecProblem {
  const loc = p.location[0];
  let line: number | undefined;
  let col: number | undefined;
  if (loc) {
    try {
      const lc = getLineColLocation(loc);
      line = lc.start.line;
      col = lc.start.col;
    } catch {
      // location without a source position
    }
  }
  return {
    file: rel(loc?.source.absoluteRef ?? file),
    ...(line === undefined ? {} : { line, col }),
    rule: p.ruleId,
    message: p.message,
    severity: p.severity === 'error' ? 'error' : 'warn',
  };
}

const GENERATOR_JAR = join(ROOT, 'node_modules/@openapitools/openapi-generator-cli/bin/openapi-generator.jar');

/** The second opinion: openapi-generator's parser and validator (needs Java 11+). */
export function validateWithOpenApiGenerator(file: string): void {
  if (!existsSync(GENERATOR_JAR)) {
    throw new SpecError(file, [{ file: rel(file), rule: 'openapi-generator', message: `missing ${rel(GENERATOR_JAR)}; run pnpm install`, severity: 'error' }]);
  }
  const run = spawnSync('java', ['-jar', GENERATOR_JAR, 'validate', '-i', file], { encoding: 'utf8' });
  if (run.error) {
    const message = (run.error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'Java is not installed; openapi-generator needs it (Debian: apt-get install openjdk-17-jre-headless)'
      : run.error.message;
    throw new SpecError(file, [{ file: rel(file), rule: 'openapi-generator', message, severity: 'error' }]);
  }
  if (run.status !== 0) {
    const out = `${run.stdout}\n${run.stderr}`;
    const errorsBlock = out.split(/Errors:\s*\n/)[1]?.split(/\n\s*Warnings:|\n\[error\]/)[0] ?? out;
    const messages = errorsBlock
      .split(/\n\s*- /)
      .map((m) => m.replace(/\s+/g, ' ').trim().replace(/^-\s*/, ''))
      .filter(Boolean);
    throw new SpecError(
      file,
      (messages.length ? messages : ['validation failed']).map((message) => ({ file: rel(file), rule: 'openapi-generator', message, severity: 'error' as const })),
    );
  }
}
