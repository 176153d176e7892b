// Reading a drift report (client.drift(), pnpm contract --report) and turning each drift into a
// proposed spec change: printed for a reviewer, never applied.
import type { Drift, DriftReport } from '../../packages/core/src/drift.js';
import type { OpenApiDocument } from './spec-check.js';

type Json = any;

/** A report from JSON text; throws with what is wrong when it is not one. */
export function parseDriftReport(text: string): DriftReport {
  const report = JSON.parse(text) as Partial<DriftReport>;
  if (typeof report !== 'object' || report === null || typeof report.provider !== 'string' || !Array.isArray(report.drifts)) {
    throw new Error('not a drift report: expected { provider, spec, checked, drifts: [...] }');
  }
  for (const [i, d] of report.drifts.entries()) {
    const ok = d && typeof d.operation === 'string' && typeof d.path === 'string' && (d.kind === 'addition' || d.kind === 'break') && typeof d.expected === 'string' && typeof d.received === 'string';
    if (!ok) throw new Error(`drifts[${i}] is not a drift: expected operation, status, path, kind, expected, received`);
  }
  return report as DriftReport;
}

/** The last segment of a drift path: a property name, or `[*]` for an array's items. */
function lastSegment(path: string): { parent: string; property: string | undefined } {
  const bracket = /\[("(?:[^"\\]|\\.)*")\]$/.exec(path);
  if (bracket) return { parent: path.slice(0, bracket.index), property: JSON.parse(bracket[1]!) as string };
  if (path.endsWith('[*]')) return { parent: path.slice(0, -3), property: undefined };
  const dot = path.lastIndexOf('.');
  return dot > 0 ? { parent: path.slice(0, dot), property: path.slice(dot + 1) } : { parent: path, property: undefined };
}

/** `integer`, `string (date-time)`, `object Address` → the schema to propose. */
function schemaFor(received: string): string {
  if (received === 'null') return '{ nullable: true }';
  if (received === 'missing') return '{}';
  return `{ type: ${received} }`;
}

/** A proposed change of the spec for one drift, in words and a pointer to where it goes. */
export function proposal(drift: Drift, doc: OpenApiDocument | undefined, all: readonly Drift[] = []): string {
  const { parent, property } = lastSegment(drift.path);
  const owner = drift.schema;
  const known = owner !== undefined && doc?.components?.schemas?.[owner] !== undefined;
  const where = owner ? `components.schemas.${owner}${known ? '' : ' (not in the spec)'}` : `the ${drift.status} response schema of ${drift.operation}`;
  const ownProperty = known && property !== undefined && (doc!.components!.schemas![owner!] as Json).properties?.[property] !== undefined;
  if (drift.kind === 'addition') {
    return `add property \`${property}\` ${schemaFor(drift.received)} under ${where}.properties (the API answers it; optional until known to be always there)`;
  }
  if (drift.received === 'missing') {
    // A property that disappears beside one that appears is likely a rename.
    const renamed = all.find((d) => d.kind === 'addition' && d.operation === drift.operation && lastSegment(d.path).parent === parent);
    const hint = renamed ? `; it may have been renamed to \`${lastSegment(renamed.path).property}\` (also reported)` : '';
    return `remove \`${property}\` from ${where}.required (the API left it out)${hint}`;
  }
  if (drift.received === 'null') {
    return `mark ${ownProperty || !owner ? `\`${property ?? drift.path}\` under ${where}` : where} \`nullable: true\``;
  }
  if (drift.expected.startsWith('one of ')) {
    // An enum's drift names the schema of the enum itself when it is a component of its own.
    const target = ownProperty ? `${where}.properties.${property}.enum` : owner ? `${where}.enum` : `the enum at ${drift.path}`;
    return `add the value ${drift.received} to ${target}`;
  }
  const target = ownProperty ? `${where}.properties.${property}` : owner ? where : drift.path;
  return `widen the type of ${target} from ${drift.expected} to oneOf [${drift.expected.split(' ')[0]}, ${drift.received}] (or change it to ${drift.received} if the old type is gone)`;
}

/** The readable summary `pnpm drift` prints: by operation, breaks first, each with its proposal. */
export function summarise(report: DriftReport, doc: OpenApiDocument | undefined): string {
  const lines: string[] = [];
  const breaks = report.drifts.filter((d) => d.kind === 'break').length;
  const spec = report.spec ? `${report.spec.file} (version ${report.spec.version})` : 'an unnamed spec';
  const checked = typeof report.checked === 'number' ? ` in ${report.checked} answer${report.checked === 1 ? '' : 's'} checked` : '';
  lines.push(`${report.provider}: ${report.drifts.length} distinct drift${report.drifts.length === 1 ? '' : 's'} from ${spec}${checked}: ${breaks} break${breaks === 1 ? '' : 's'}, ${report.drifts.length - breaks} addition${report.drifts.length - breaks === 1 ? '' : 's'}`);
  const byOperation = new Map<string, Drift[]>();
  for (const d of report.drifts) byOperation.set(`${d.operation} ${d.status}`, [...(byOperation.get(`${d.operation} ${d.status}`) ?? []), d]);
  for (const [key, drifts] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('', key);
    drifts.sort((a, b) => (a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'break' ? -1 : 1));
    for (const d of drifts) {
      lines.push(`  ${d.kind === 'break' ? '✗ break   ' : '+ addition'} ${d.path}: expected ${d.expected}, received ${d.received} (${d.count}× since ${d.firstSeen})`);
      lines.push(`      proposed: ${proposal(d, doc, report.drifts)}`);
    }
  }
  if (report.drifts.length === 0) lines.push('', 'no drift: every answer matched the spec');
  else lines.push('', 'Nothing was changed: edit the spec, then run `pnpm generate` and `pnpm changeset:spec`.');
  return lines.join('\n');
}
