import { describe, expect, it } from 'vitest';
import { CachedToken, MemoryTokenStore } from '../src/token-cache.js';
import { fakeClock } from '../../../scripts/testing/kit.js';

function counter(lifetimeMs = 3_600_000) {
  let n = 0;
  const fetchToken = async () => {
    await new Promise((r) => setTimeout(r, 5));
    n += 1;
    return { value: `token-${n}`, expiresInMs: lifetimeMs };
  };
  return { fetchToken, count: () => n };
}

describe('CachedToken', () => {
  it('makes one token request however many callers wait on a cold cache', async () => {
    const c = counter();
    const token = new CachedToken({ key: 'k', fetchToken: c.fetchToken });
    const values = await Promise.all(Array.from({ length: 100 }, () => token.get()));
    expect(new Set(values)).toEqual(new Set(['token-1']));
    expect(c.count()).toBe(1);
  });

  it('renews before expiry: margin 60 s, at most half the lifetime', async () => {
    const clock = fakeClock();
    const c = counter(600_000);
    const token = new CachedToken({ key: 'k', fetchToken: c.fetchToken, clock });
    expect(await token.get()).toBe('token-1');
    clock.advance(539_000);
    expect(await token.get()).toBe('token-1');
    clock.advance(1_000);
    expect(await token.get()).toBe('token-2');

    const short = counter(30_000);
    const brief = new CachedToken({ key: 's', fetchToken: short.fetchToken, clock });
    await brief.get();
    clock.advance(14_000);
    expect(await brief.get()).toBe('token-1');
    clock.advance(1_000);
    expect(await brief.get()).toBe('token-2');
  });

  it('drops a refused value so the next caller gets a new one, but ignores stale invalidations', async () => {
    const c = counter();
    const token = new CachedToken({ key: 'k', fetchToken: c.fetchToken });
    const first = await token.get();
    await token.invalidate('some-older-token');
    expect(await token.get()).toBe(first);
    await token.invalidate(first);
    expect(await token.get()).toBe('token-2');
  });

  it('shares a token through a common store (another worker, another instance)', async () => {
    const store = new MemoryTokenStore();
    const c = counter();
    const a = new CachedToken({ key: 'shared', fetchToken: c.fetchToken, store });
    const b = new CachedToken({ key: 'shared', fetchToken: c.fetchToken, store });
    expect(await a.get()).toBe('token-1');
    expect(await b.get()).toBe('token-1');
    expect(c.count()).toBe(1);
  });

  it('lets the next call try again after a failed token request', async () => {
    let attempt = 0;
    const token = new CachedToken({
      key: 'k',
      fetchToken: async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('token endpoint down');
        return { value: 'ok', expiresInMs: 60_000 };
      },
    });
    await expect(token.get()).rejects.toThrow('token endpoint down');
    await expect(token.get()).resolves.toBe('ok');
  });

  it('reports each token it obtains, for redaction', async () => {
    const seen: string[] = [];
    const token = new CachedToken({ key: 'k', fetchToken: counter().fetchToken, onToken: (v) => seen.push(v) });
    await token.get();
    expect(seen).toEqual(['token-1']);
  });
});

describe('CachedToken and aborts', () => {
  it('lets a caller stop waiting without cancelling the fetch the others share', async () => {
    let release!: (v: { value: string; expiresInMs: number }) => void;
    let calls = 0;
    const token = new CachedToken({
      key: 'k',
      fetchToken: () => {
        calls += 1;
        return new Promise((resolve) => (release = resolve));
      },
    });
    const impatient = new AbortController();
    const first = token.get(impatient.signal);
    const second = token.get();
    impatient.abort(new Error('caller gave up'));
    await expect(first).rejects.toThrow('caller gave up');
    release({ value: 'shared-token', expiresInMs: 60_000 });
    await expect(second).resolves.toBe('shared-token');
    expect(calls).toBe(1);
  });
});
