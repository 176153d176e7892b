// The dual-package hazard, in one Node.js process of the consumer that has every package installed:
// core's ESM build (import) and its CommonJS build (require) are two copies of every class, and an
// error made by one must still be `instanceof` the other's classes (core brands its errors with their
// class names). And the provider packages installed together share one core, so an error a client
// throws is `instanceof` every package's error classes.
// Usage: node dual.mjs <config.json>; prints one ECOSYSTEM line per check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const packages = config.packages;

async function verdict(name, body) {
  try {
    const problems = [];
    const detail = await body((ok, what) => ok || problems.push(what));
    console.log(`ECOSYSTEM ${JSON.stringify({ package: name, ok: problems.length === 0, detail: problems.length ? problems.join('; ') : detail, runtime: `node ${process.version}` })}`);
  } catch (error) {
    console.log(`ECOSYSTEM ${JSON.stringify({ package: name, ok: false, detail: `threw ${error?.stack ?? error}`, runtime: `node ${process.version}` })}`);
  }
}

const init = { provider: 'Dual', status: 404, method: 'GET', url: 'https://example.test/x' };

await verdict('@provider-sdk/core', async (expect) => {
  const esm = await import('@provider-sdk/core');
  const cjs = require('@provider-sdk/core');
  const esmFile = fileURLToPath(import.meta.resolve('@provider-sdk/core'));
  const cjsFile = require.resolve('@provider-sdk/core');
  expect(esmFile.includes('/dist/esm/') && cjsFile.includes('/dist/cjs/'), `not two builds: ${esmFile} and ${cjsFile}`);
  expect(esm.NotFoundError !== cjs.NotFoundError, 'the ESM and the CJS build gave the same class: not two copies');
  for (const [maker, checker, label] of [[cjs, esm, 'CJS error, ESM classes'], [esm, cjs, 'ESM error, CJS classes']]) {
    const notFound = new maker.NotFoundError(init);
    for (const cls of ['NotFoundError', 'ApiError', 'ProviderSdkError']) expect(notFound instanceof checker[cls], `${label}: not instanceof ${cls}`);
    expect(notFound instanceof Error, `${label}: not instanceof Error`);
    for (const cls of ['ConflictError', 'EnvelopeError', 'TimeoutError', 'InvalidArgumentError']) expect(!(notFound instanceof checker[cls]), `${label}: instanceof ${cls} too`);
    const invalid = new maker.InvalidArgumentError('op', [{ path: 'x', message: 'bad' }]);
    expect(invalid instanceof checker.InvalidArgumentError && invalid instanceof checker.ProviderSdkError && !(invalid instanceof checker.ApiError), `${label}: InvalidArgumentError`);
    expect(!({ name: 'NotFoundError' } instanceof checker.NotFoundError), `${label}: a plain object named NotFoundError passed`);
  }
  return 'ESM and CJS builds loaded side by side; errors of each are instanceof the other\'s classes';
});

await verdict('one core for every package', async (expect) => {
  const cores = new Set(packages.map((name) => createRequire(require.resolve(name)).resolve('@provider-sdk/core')));
  expect(cores.size === 1, `the packages resolve ${cores.size} copies of core: ${[...cores].join(', ')}`);
  const esm = await Promise.all(packages.map((name) => import(name)));
  const cjs = packages.map((name) => require(name));
  const core = await import('@provider-sdk/core');
  for (const [i, name] of packages.entries()) {
    expect(esm[i].NotFoundError === core.NotFoundError, `${name} (ESM) has its own NotFoundError`);
    expect(cjs[i].NotFoundError === require('@provider-sdk/core').NotFoundError, `${name} (CJS) has its own NotFoundError`);
  }
  // A real error, thrown by one package's client (ESM) at a 404 of its mock, checked with every package's classes.
  const enhance = esm[packages.indexOf('@provider-sdk/enhance')];
  const client = enhance.createEnhanceClient({ baseUrl: config.env.ENHANCE_BASE_URL, token: 'dual-token' });
  const error = await client.customers.get({ org_id: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21' }, { headers: { Prefer: 'code=404' } }).then(
    () => undefined,
    (e) => e,
  );
  expect(error?.status === 404, `the mock's 404 did not come back as an error: ${error}`);
  for (const [i, name] of packages.entries()) {
    expect(error instanceof esm[i].NotFoundError && error instanceof esm[i].ApiError, `not instanceof ${name}'s NotFoundError (ESM)`);
    expect(error instanceof cjs[i].NotFoundError && error instanceof cjs[i].ApiError, `not instanceof ${name}'s NotFoundError (CJS)`);
  }
  // A class a package defines itself (Kandy's envelope error) across its own two builds.
  const kandyEsm = esm[packages.indexOf('@provider-sdk/kandy')];
  const kandyCjs = cjs[packages.indexOf('@provider-sdk/kandy')];
  const kandyError = new kandyCjs.KandyError({ ...init, status: 200, code: 5, providerMessage: 'x' });
  expect(kandyError instanceof kandyEsm.KandyError && kandyError instanceof kandyEsm.EnvelopeError, 'a CJS KandyError is not instanceof the ESM KandyError');
  expect(!(new kandyEsm.EnvelopeError(init) instanceof kandyCjs.KandyError), 'an EnvelopeError passed as a KandyError');
  return `${packages.length} packages, one core (${dirname(dirname([...cores][0]))}); a thrown 404 is instanceof every package's NotFoundError, ESM and CJS`;
});
