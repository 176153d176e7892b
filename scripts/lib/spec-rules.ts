// Checks the linters cannot make because they are about this project's generator: method names that
// collide inside a tag, pagination extensions that point at parameters that do not exist, and body
// media types the runtime cannot send.
import type { ApiModel } from './spec-model.js';
import type { SpecProblem } from './spec-check.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function checkModel(model: ApiModel, file: string, schemaNames: ReadonlySet<string> = new Set()): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (rule: string, message: string) => problems.push({ file, rule, message, severity: 'error' });
  for (const tag of model.tags) {
    if (!IDENT.test(tag.property)) add('sdk-tag-name', `tag "${tag.name}" does not give a usable property name`);
    const seen = new Map<string, string>();
    for (const op of tag.operations) {
      const names = [op.sdkMethod, ...(op.pagination ? [iteratorName(op.sdkMethod)] : [])];
      for (const name of names) {
        if (!IDENT.test(name)) add('sdk-method-name', `${op.id}: "${name}" is not a valid method name`);
        const other = seen.get(name);
        if (other) add('sdk-method-unique', `${op.id}: method "${tag.property}.${name}" is also produced by ${other}`);
        seen.set(name, op.id);
      }
      if (op.jsonResult !== undefined && !schemaNames.has(op.jsonResult)) {
        const target = op.jsonResult.startsWith('#') ? op.jsonResult : `#/components/schemas/${op.jsonResult}`;
        add('sdk-json-result', `${op.id}: x-json-result must point at a schema under #/components/schemas; ${target} is not one`);
      }
      if (op.body && !/json/.test(op.body.mediaType)) {
        add('sdk-body-media-type', `${op.id}: request body ${op.body.mediaType} is not supported (JSON only)`);
      }
      if (op.pagination) {
        const p = op.pagination;
        const names = new Set(op.otherParams.map((x) => x.name));
        const needed = p.style === 'offset' ? [p.offset, p.limit] : p.style === 'page' ? [p.page, p.size] : [];
        if (p.style !== 'offset' && p.style !== 'page') add('sdk-pagination', `${op.id}: x-pagination.style must be offset or page`);
        for (const n of needed) if (!names.has(n)) add('sdk-pagination', `${op.id}: x-pagination names "${n}", which is not a parameter`);
        if (!p.items) add('sdk-pagination', `${op.id}: x-pagination.items is required`);
      }
    }
  }
  return problems;
}

/** `list` -> `listAll`, `listContacts` -> `listAllContacts`, `search` -> `searchAll`. */
export function iteratorName(method: string): string {
  return method.startsWith('list') ? `listAll${method.slice(4)}` : `${method}All`;
}
