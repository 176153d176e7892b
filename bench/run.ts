// pnpm bench [--only overhead,size,pipeline,scale,validation] [--runs N] [--requests N] [--scale 5,20,50]
// Runs the benchmarks and writes bench/RESULTS.md (with --only, the sections not run are kept). Every figure is a ratio against a baseline
// measured in the same run (plain fetch; the cold pipeline; the smallest scale), medians of several
// runs where the measurement repeats. Needs `pnpm build` first. Not part of `pnpm test`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProviders } from '../scripts/lib/providers.js';
import { machine } from './lib/measure.js';
import { generateTsFetch } from './lib/tsfetch.js';
import { type Measured, pipelineBench, scaleBench } from './pipeline.js';
import { type OverheadRow, requestOverhead } from './request-overhead.js';
import { packageSize, type SizeRow, typescriptFetchSize } from './size.js';
import { type ValidationRow, validationCost } from './validation.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1]!;
};
const partial = args.includes('--only');
const only = new Set(option('--only', 'overhead,size,pipeline,scale,validation').split(','));
const runs = Number(option('--runs', '5'));
const requests = Number(option('--requests', '1000'));
const scaleSizes = option('--scale', '5,20,50').split(',').map(Number);
const providers = allProviders();
const started = new Date();
const sections: string[] = [];
const headline: string[] = [];
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const ratio = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));

if (only.has('overhead')) {
  const rows: OverheadRow[] = [];
  for (const p of providers) {
    console.log(`request overhead: ${p.name}`);
    rows.push(...(await requestOverhead(p, { runs, requests, warmup: Math.max(50, requests / 5) })));
  }
  const ours = rows.map((r) => r.rps.ours / r.rps.fetch);
  const theirs = rows.filter((r) => r.rps.typescriptFetch).map((r) => r.rps.typescriptFetch! / r.rps.fetch);
  const oursVsTheirs = rows.filter((r) => r.rps.typescriptFetch).map((r) => r.rps.ours / r.rps.typescriptFetch!);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  headline.push(
    `- Request overhead: our client runs at a median ${ratio(med(ours))}× the requests per second of plain fetch (range ${ratio(Math.min(...ours))}–${ratio(Math.max(...ours))}); openapi-generator's typescript-fetch client at ${ratio(med(theirs))}×; ours / typescript-fetch = ${ratio(med(oursVsTheirs))}×.`,
  );
  sections.push(
    [
      '## Request overhead',
      '',
      `Sequential requests to a local \`node:http\` server (its own process) that answers at once with the operation's example. ${runs} runs of ${requests} requests per client after a warm-up, the clients taking turns (the order rotates each run); medians of the runs. Ratios are against plain \`fetch\` sending the same URL, headers and body, measured in the same run.`,
      '',
      '| provider | operation | fetch req/s | ours req/s | typescript-fetch req/s | ours ÷ fetch | typescript-fetch ÷ fetch | median latency fetch / ours / t-f (ms) |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.provider} | ${r.kind}: ${r.operation} | ${r.rps.fetch.toFixed(0)} | ${r.rps.ours.toFixed(0)} | ${r.rps.typescriptFetch?.toFixed(0) ?? 'n/a'} | ${ratio(r.rps.ours / r.rps.fetch)} | ${ratio(r.rps.typescriptFetch && r.rps.typescriptFetch / r.rps.fetch)} | ${r.medianMs.fetch.toFixed(3)} / ${r.medianMs.ours.toFixed(3)} / ${r.medianMs.typescriptFetch?.toFixed(3) ?? 'n/a'} |`,
      ),
      ...[...new Set(rows.filter((r) => r.note).map((r) => `\n- ${r.provider}: ${r.note}`))],
      '',
      'Our client does more per request than the other two: it checks the arguments against the spec, applies credentials, arms a per-attempt timeout, keeps a retry policy and formats a (discarded) log line. The typescript-fetch client is generated with `enumPropertyNaming=original`: with its default naming, the Pax8 spec (whose `orderedBy` has both `Pax8Partner` and `Pax8 Partner`, a real quirk of the API) produces an enum with one member declared twice, which does not compile.',
    ].join('\n'),
  );
}

if (only.has('size')) {
  const rows: (SizeRow & { typescriptFetch?: number })[] = [await packageSize('core', 'Runtime')];
  for (const p of providers) {
    const row: SizeRow & { typescriptFetch?: number } = await packageSize(p.name, `create${p.typeName}Client`);
    try {
      row.typescriptFetch = await typescriptFetchSize(p, (await generateTsFetch(p)).dir);
    } catch {
      // reported as n/a
    }
    rows.push(row);
  }
  const withBoth = rows.filter((r) => r.typescriptFetch);
  const sizeRatios = withBoth.map((r) => r.bundleGzip / r.typescriptFetch!);
  headline.push(`- Size: a user's bundle gains ${Math.min(...withBoth.map((r) => r.bundleGzip))}–${Math.max(...withBoth.map((r) => r.bundleGzip))} B (min+gzip) for one client with core and openapi-fetch, ${ratio(Math.min(...sizeRatios))}–${ratio(Math.max(...sizeRatios))}× the typescript-fetch client of the same spec.`);
  sections.push(
    [
      '## Size',
      '',
      'Minified and gzipped (level 9) esbuild bundles. *Own*: the package alone (`@provider-sdk/*` and openapi-fetch external). *Bundled*: what a user\'s bundle loads first importing the client factory (package + core + openapi-fetch, tree-shaken, split as Vite, Rollup and webpack split: the response schemas and drift walker, imported only when `validateResponses` is on, are a lazy chunk). *Inlined*: the same without splitting (esbuild\'s and Wrangler\'s default), the lazy chunk included. *typescript-fetch*: the generated client of the same spec (runtime, every API and model). Budgets in `bench/size-budget.json`, checked by `pnpm size:check` in CI.',
      '',
      '| package | own (min) | own (gzip) | bundled (gzip) | inlined (gzip) | typescript-fetch (gzip) | bundled ÷ typescript-fetch |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) => `| ${r.package} | ${r.ownBytes} | ${r.ownGzip} | ${r.bundleGzip} | ${r.inlinedGzip} | ${r.typescriptFetch ?? 'n/a'} | ${r.typescriptFetch ? ratio(r.bundleGzip / r.typescriptFetch) : 'n/a'} |`,
      ),
    ].join('\n'),
  );
}

const table = (rows: Measured[], base: Measured) =>
  [
    '| run | seconds | ÷ baseline | peak memory (MB) | turbo tasks |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.label} | ${r.seconds.toFixed(1)} | ${ratio(r.seconds / base.seconds)} | ${r.peakMb.toFixed(0)} | ${r.tasks} |`),
  ].join('\n');

if (only.has('pipeline')) {
  console.log('pipeline: cold, cached, one spec changed');
  const rows = await pipelineBench();
  headline.push(`- Pipeline: a cached \`pnpm build\` takes ${pct(rows[1]!.seconds / rows[0]!.seconds)} of a cold one (${rows[1]!.seconds.toFixed(1)} s vs ${rows[0]!.seconds.toFixed(1)} s); after one spec edit, ${pct(rows[2]!.seconds / rows[0]!.seconds)}.`);
  sections.push(['## Pipeline', '', 'A throwaway copy of the workspace (installed offline), `turbo run build` (which runs `generate` first). Peak memory is the resident memory of the whole process tree, sampled every 50 ms. Baseline: the cold run.', '', table(rows, rows[0]!)].join('\n'));
}

if (only.has('scale')) {
  console.log(`scale: ${scaleSizes.join(', ')} synthetic providers`);
  const rows = await scaleBench(scaleSizes);
  const perPackage = rows.map((r, i) => r.seconds / scaleSizes[i]!);
  const spread = Math.max(...perPackage) / Math.min(...perPackage);
  const timeGrowth = rows[rows.length - 1]!.seconds / rows[0]!.seconds;
  const sizeGrowth = scaleSizes[scaleSizes.length - 1]! / scaleSizes[0]!;
  const verdict =
    spread < 1.35
      ? `Time grows linearly: seconds per provider stay within ${pct(spread - 1)} of each other (${perPackage.map((x) => x.toFixed(2)).join(', ')} s).`
      : `Time is not linear: seconds per provider are ${perPackage.map((x) => x.toFixed(2)).join(', ')} s (${timeGrowth.toFixed(1)}× the time for ${sizeGrowth}× the providers).`;
  const memGrowth = rows[rows.length - 1]!.peakMb / rows[0]!.peakMb;
  headline.push(`- Scale: ${verdict} Peak memory grows ${memGrowth.toFixed(2)}× for ${sizeGrowth}× the providers.`);
  sections.push(
    [
      '## Scale',
      '',
      'Synthetic providers: the real specs copied under new names, scaffolded with `pnpm new-provider`, then a cold `turbo run build` (generate + build of every package). Baseline: the smallest workspace.',
      '',
      table(rows, rows[0]!),
      '',
      verdict,
      `Peak memory does not follow the number of providers but turbo's concurrency (up to 10 tasks at once by default, each a Node process and, during generate, a JVM): ${rows.map((r) => `${r.peakMb.toFixed(0)} MB`).join(', ')}.`,
    ].join('\n'),
  );
}

if (only.has('validation')) {
  const rows: ValidationRow[] = [];
  for (const p of providers) {
    console.log(`validation cost: ${p.name}`);
    rows.push(...(await validationCost(p, { runs, calls: requests * 2 })));
  }
  const example = rows.filter((r) => r.answer === 'example').map((r) => r.warn / r.off);
  const page = rows.filter((r) => r.answer !== 'example').map((r) => r.warn / r.off);
  const range = (xs: number[]) => `${ratio(Math.min(...xs))}–${ratio(Math.max(...xs))}`;
  headline.push(`- Response validation: with \`validateResponses: 'warn'\` a client makes ${range(example)}× the calls per second it makes with it off on the spec's example answers, ${range(page)}× on a 200-item page (in-process, no network).`);
  sections.push(
    [
      '## Response validation',
      '',
      `Measured ${started.toISOString().slice(0, 10)}. One client per mode on the same in-process answer (an injected fetch, no network, so that nothing hides the check): \`validateResponses: 'off'\` (the baseline, which does not load the schemas) and \`'warn'\` (the drift walker over the whole body; its first call, which loads the schemas and the walker, is in the warm-up). ${runs} runs of ${requests * 2} calls (a tenth of that for the page), the modes taking turns; medians. *Drifts*: distinct drifts the spec's own example showed (0 means the example matches its schema).`,
      '',
      '| provider | operation | answer | off calls/s | warn calls/s | warn ÷ off | drifts |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.provider} | ${r.operation} | ${r.answer} | ${r.off.toFixed(0)} | ${r.warn.toFixed(0)} | ${ratio(r.warn / r.off)} | ${r.drifts} |`),
    ].join('\n'),
  );
}

const doc = [
  '# Benchmark results',
  '',
  `Measured ${started.toISOString().slice(0, 10)} on ${machine()}, with \`pnpm bench${args.length ? ` ${args.join(' ')}` : ''}\`${args.length ? '' : ' (defaults: 5 runs of 1000 requests; scale 5, 20, 50)'} after \`pnpm build\`.`,
  'Every figure is a ratio against a baseline measured in the same run; absolute numbers are for this machine only.',
  '',
  '## Headlines',
  '',
  ...headline,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
const resultsFile = join(import.meta.dirname, 'RESULTS.md');
const written = existsSync(resultsFile) ? merged(readFileSync(resultsFile, 'utf8'), doc, partial) : doc;
writeFileSync(resultsFile, written);
console.log(written);

/**
 * The new results in the old file: sections run now replace theirs (headlines by their lead word);
 * with --only, sections not run stay as they were; `pnpm bench:scale`'s block always stays.
 */
function merged(old: string, fresh: string, keepOthers: boolean): string {
  const blockStart = old.indexOf('<!-- bench:scale -->');
  const tail = blockStart === -1 ? '' : old.slice(blockStart);
  const sectionsOf = (text: string) => text.split(/^(?=## )/m);
  const title = (part: string) => part.split('\n')[0]!;
  const freshParts = sectionsOf(fresh);
  if (!keepOthers) return `${`${fresh.trimEnd()}\n\n${tail}`.trimEnd()}\n`;
  const oldParts = sectionsOf(blockStart === -1 ? old : old.slice(0, blockStart));
  const lead = (line: string) => line.split(':')[0];
  const out = oldParts.map((part) => {
    if (title(part) === '## Headlines') {
      const fresher = freshParts.find((f) => title(f) === '## Headlines') ?? '';
      const newLines = fresher.split('\n').filter((l) => l.startsWith('- '));
      const kept = part.split('\n').filter((l) => l.startsWith('- ') && !newLines.some((n) => lead(n) === lead(l)));
      return ['## Headlines', '', ...kept, ...newLines, '', ''].join('\n');
    }
    return freshParts.find((f) => f.startsWith('## ') && title(f) === title(part)) ?? part;
  });
  for (const f of freshParts) if (f.startsWith('## ') && !oldParts.some((o) => title(o) === title(f))) out.push(f);
  return `${`${out.map((p) => p.trimEnd()).join('\n\n')}\n\n${tail}`.trimEnd()}\n`;
}
