// Checks the linters cannot make because they are about this project's generator: method and type
// names that collide, parameters that cannot share one params object, pagination and variant
// extensions that point at nothing, and body media types the runtime cannot send.
import type { SpecProblem } from './spec-check.js';
import type { ApiModel } from './spec-model.js';
import { methodsOf, schemaAliasName } from './surface.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function checkModel(model: ApiModel, file: string, schemaNames: ReadonlySet<string> = new Set()): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (rule: string, message: string) => problems.push({ file, rule, message, severity: 'error' });
  const methods = methodsOf(model);

  // Every exported name of client.ts: schema aliases, per-method types, group classes.
  const typeNames = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const other = typeNames.get(name);
    if (other) add('sdk-type-name', `${owner} and ${other} would both export the type ${name}; rename one (x-sdk-method, the tag or the schema)`);
    else typeNames.set(name, owner);
  };
  for (const name of schemaNames) claim(schemaAliasName(name), `schema ${name}`);
  for (const tag of model.tags) {
    if (!IDENT.test(tag.property)) add('sdk-tag-name', `tag "${tag.name}" does not give a usable property name`);
    claim(tag.className, `tag ${tag.name}`);
    const seen = new Map<string, string>();
    for (const m of methods.filter((x) => x.tag === tag)) {
      if (!IDENT.test(m.name)) add('sdk-method-name', `${m.op.id}: "${m.name}" is not a valid method name`);
      const other = seen.get(m.name);
      if (other) add('sdk-method-unique', `${m.op.id}: method "${tag.property}.${m.name}" is also produced by ${other}`);
      seen.set(m.name, m.op.id);
      const owner = `${tag.property}.${m.name}`;
      claim(`${m.typeBase}Params`, owner);
      if (!m.variant) claim(`${m.typeBase}Result`, owner);
      if (m.op.body && !m.variant) claim(`${m.typeBase}Body`, owner);
      if (m.paged) claim(`${m.typeBase}Item`, owner);
    }
  }

  for (const t of model.webhookTopics) {
    if (!schemaNames.has(t.schema)) add('sdk-webhook-topics', `x-webhook-topics.${t.topic} must be a $ref to a schema under #/components/schemas`);
  }
  if (model.webhookTopics.length) claim('WebhookTopicPayloads', 'x-webhook-topics');

  for (const op of model.operations) {
    const names = new Map<string, string>();
    for (const p of [...op.pathParams, ...op.otherParams]) {
      if (p.name === 'body') add('sdk-param-name', `${op.id}: a parameter may not be named "body" (the params object keeps the request body there)`);
      const other = names.get(p.name);
      if (other) add('sdk-param-unique', `${op.id}: the ${other} and ${p.in} parameters are both named "${p.name}"; one params object cannot hold both`);
      names.set(p.name, p.in);
    }
    if (op.jsonResult !== undefined && !schemaNames.has(op.jsonResult)) {
      const target = op.jsonResult.startsWith('#') ? op.jsonResult : `#/components/schemas/${op.jsonResult}`;
      add('sdk-json-result', `${op.id}: x-json-result must point at a schema under #/components/schemas; ${target} is not one`);
    }
    if (op.body && !/json/.test(op.body.mediaType) && op.body.mediaType !== 'multipart/form-data') {
      add('sdk-body-media-type', `${op.id}: request body ${op.body.mediaType} is not supported (JSON or multipart/form-data)`);
    }
    for (const v of op.variants) {
      if (!op.body) add('sdk-variants', `${op.id}: x-sdk-variants needs a request body to vary`);
      if (!schemaNames.has(v.schema)) add('sdk-variants', `${op.id}: x-sdk-variants.${v.method} must be a $ref to a schema under #/components/schemas`);
    }
    if (op.pagination) {
      const p = op.pagination;
      const params = new Set(op.otherParams.map((x) => x.name));
      const needed = p.style === 'offset' ? [p.offset, p.limit] : p.style === 'page' ? [p.page, p.size] : [];
      if (p.style !== 'offset' && p.style !== 'page') add('sdk-pagination', `${op.id}: x-pagination.style must be offset or page`);
      for (const n of needed) if (!params.has(n)) add('sdk-pagination', `${op.id}: x-pagination names "${n}", which is not a parameter`);
      if (!p.items) add('sdk-pagination', `${op.id}: x-pagination.items is required`);
    }
  }
  return problems;
}
