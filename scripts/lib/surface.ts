// The generated public surface of a client, as one model read by everything that must agree on it:
// the client generator, the README table, the contract harness, the benchmark and spec:diff's
// surface comparison. One rule for every operation: `group.method(params?, options?)`, where
// `params` holds path, query, header and cookie parameters by their spec names and the body under
// `body`; `params` is required when any of them is.
import { CORE_EXPORTS } from './core-exports.js';
import { pascalCase } from './providers.js';
import type { ApiModel, OperationModel, TagModel } from './spec-model.js';

export interface MethodModel {
  tag: TagModel;
  op: OperationModel;
  /** The method name inside its tag group. */
  name: string;
  /** Prefix of the method's named types: `CompaniesList` → `CompaniesListParams`, `CompaniesListResult`. */
  typeBase: string;
  /** For an `x-sdk-variants` method: the component schema its body takes. */
  variant?: string;
  /** For a variant: the typeBase of the operation's own method (whose Result it shares). */
  resultOf?: string;
  /** Returns a PagePromise. */
  paged: boolean;
  paramsRequired: boolean;
  bodyRequired: boolean;
}

/**
 * Names a generated alias must not take: what the package also exports from core, the generated
 * file's own imports, and the globals it uses.
 */
const TAKEN = new Set<string>([...CORE_EXPORTS.values, ...CORE_EXPORTS.types, 'EnvelopeResult', 'Runtime', 'Schemas', 'Operations', 'Record', 'NonNullable', 'Date']);

/** The exported alias of a component schema: its PascalCase name, with `Schema` appended where that name is taken. */
export function schemaAliasName(name: string): string {
  const alias = pascalCase(name);
  return TAKEN.has(alias) || /^\d/.test(alias) ? `${alias}Schema` : alias;
}

export function methodsOf(model: ApiModel): MethodModel[] {
  const out: MethodModel[] = [];
  for (const tag of model.tags) {
    for (const op of tag.operations) {
      const typeBase = `${pascalCase(tag.property)}${pascalCase(op.sdkMethod)}`;
      const paramRequired = [...op.pathParams, ...op.otherParams].some((x) => x.required) || op.pathParams.length > 0;
      const bodyRequired = Boolean(op.body?.required);
      out.push({ tag, op, name: op.sdkMethod, typeBase, paged: Boolean(op.pagination), paramsRequired: paramRequired || bodyRequired, bodyRequired });
      for (const v of op.variants) {
        out.push({
          tag,
          op,
          name: v.method,
          typeBase: `${pascalCase(tag.property)}${pascalCase(v.method)}`,
          variant: v.schema,
          resultOf: typeBase,
          paged: false,
          // A variant exists to send its body.
          paramsRequired: true,
          bodyRequired: true,
        });
      }
    }
  }
  return out;
}

/** The method that calls an operation with its own body (not a variant). */
export function methodFor(model: ApiModel, operationId: string): MethodModel {
  const m = methodsOf(model).find((x) => x.op.id === operationId && !x.variant);
  if (!m) throw new Error(`no operation ${operationId}`);
  return m;
}
