import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SAMPLE = join(import.meta.dirname, 'fixtures', 'drift-report.json');

async function drift(...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, [join(ROOT, 'scripts', 'drift.ts'), ...args]);
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('pnpm drift <provider> <report.json>', () => {
  it('prints each drift with a proposed spec change, breaks first, and changes nothing', async () => {
    const { code, out, err } = await drift('enhance', SAMPLE);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('Enhance: 5 distinct drifts from specs/enhance.yaml (version 12.25.2) in 40 answers checked: 4 breaks, 1 addition');
    expect(out).toContain('getOrgCustomers 200');
    // A missing property beside a new one in the same object: named as a likely rename.
    expect(out).toContain('remove `name` from components.schemas.Org.required (the API left it out); it may have been renamed to `customerName`');
    expect(out).toContain('add property `customerName` { type: string } under components.schemas.Org.properties');
    expect(out).toContain('widen the type of components.schemas.Org.properties.websitesCount from integer to oneOf [integer, string]');
    expect(out).toContain('add the value "archived" to components.schemas.Status.enum');
    expect(out).toContain('mark `ownerEmail` under components.schemas.Org `nullable: true`');
    expect(out.indexOf('+ addition')).toBeGreaterThan(out.lastIndexOf('✗ break'));
    expect(out).toContain('Nothing was changed');
  });

  it('says so when there is no drift, and refuses what is not a report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-'));
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ provider: 'Enhance', spec: undefined, checked: 3, drifts: [] }));
    expect((await drift('enhance', join(dir, 'empty.json'))).out).toContain('no drift: every answer matched the spec');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ drifts: 'none' }));
    const bad = await drift('enhance', join(dir, 'bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('not a drift report');
    expect((await drift('enhance')).code).toBe(2);
  });
});
