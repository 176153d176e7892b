// Where each provider's files live, and how its names are derived. One convention for all:
// specs/<name>.yaml  ->  packages/<name>  ->  npm @provider-sdk/<name>.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository: tools, ruleset, templates. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where specs/ and packages/ are; another folder only in the pipeline's own tests. */
export const WORKSPACE = process.env.PROVIDER_SDK_WORKSPACE ?? ROOT;
export const SPECS_DIR = join(WORKSPACE, 'specs');
export const PACKAGES_DIR = join(WORKSPACE, 'packages');
export const NPM_SCOPE = '@provider-sdk';

export interface Provider {
  /** Kebab-case name: `pax8-v3`. */
  name: string;
  specPath: string;
  packageDir: string;
  npmName: string;
  /** PascalCase name used in identifiers: `Pax8V3`. */
  typeName: string;
}

export function provider(name: string): Provider {
  return {
    name,
    specPath: join(SPECS_DIR, `${name}.yaml`),
    packageDir: join(PACKAGES_DIR, name),
    npmName: `${NPM_SCOPE}/${name}`,
    typeName: pascalCase(name),
  };
}

/** Every provider with a spec, in name order. */
export function allProviders(): Provider[] {
  if (!existsSync(SPECS_DIR)) return [];
  return readdirSync(SPECS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => provider(f.slice(0, -'.yaml'.length)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function rel(path: string): string {
  return relative(WORKSPACE, path) || '.';
}

export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

export function camelCase(name: string): string {
  const p = pascalCase(name);
  return p ? p[0]!.toLowerCase() + p.slice(1) : p;
}

export const VALID_PROVIDER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
