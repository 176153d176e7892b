import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../src/concurrency.js';
import { RateLimiter } from '../src/rate-limit.js';
import { fakeClock } from '../../../scripts/testing/kit.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('mapConcurrent', () => {
  it('runs at most `concurrency` calls at once and keeps the items\' order in the results', async () => {
    let running = 0;
    let most = 0;
    const results = await mapConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, (20 - n) % 4)); // finishing out of order
        running--;
        return n * 10;
      },
      { concurrency: 4 },
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(most).toBe(4);
    expect(await mapConcurrent([], async () => 1)).toEqual([]);
  });

  it('pulls items from an async iterable (a paged list) as calls finish, not all up front', async () => {
    const pulled: number[] = [];
    async function* companies() {
      for (let i = 0; i < 10; i++) {
        pulled.push(i);
        yield i;
      }
    }
    let started = 0;
    const gate: (() => void)[] = [];
    const run = mapConcurrent(
      companies(),
      (n) =>
        new Promise<number>((resolve) => {
          started++;
          gate.push(() => resolve(n));
        }),
      { concurrency: 3 },
    );
    for (let i = 0; i < 10; i++) await tick();
    expect(started).toBe(3);
    expect(pulled).toEqual([0, 1, 2]);
    while (gate.length || started < 10) {
      gate.shift()?.();
      await tick();
    }
    expect(await run).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('starts nothing new after a failure, and rejects with it once the running calls have ended', async () => {
    const started: number[] = [];
    let ended = 0;
    let stopped = false;
    async function* items() {
      try {
        for (let i = 0; i < 100; i++) yield i;
      } finally {
        stopped = true; // the iterable is told to stop (a paged list stops fetching)
      }
    }
    const error = await mapConcurrent(
      items(),
      async (n) => {
        started.push(n);
        await new Promise((r) => setTimeout(r, n === 2 ? 1 : 15));
        ended++;
        if (n === 2) throw new Error('item 2 failed');
        return n;
      },
      { concurrency: 3 },
    ).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('item 2 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(ended).toBe(3); // the others finished before the promise settled
    expect(stopped).toBe(true);
  });

  it('stops starting calls when its signal aborts, and rejects with the reason', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapConcurrent(
      Array.from({ length: 50 }, (_, i) => i),
      async (n) => {
        started.push(n);
        if (n === 3) controller.abort(new Error('shutting down'));
        await tick();
      },
      { concurrency: 2, signal: controller.signal },
    );
    await expect(run).rejects.toThrow('shutting down');
    expect(started.length).toBeLessThanOrEqual(5);
    await expect(mapConcurrent([1], async () => 1, { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });

  it('refuses a concurrency that is not a positive integer, and items that are not iterable', async () => {
    await expect(mapConcurrent([1], async () => 1, { concurrency: 0 })).rejects.toThrow(TypeError);
    await expect(mapConcurrent([1], async () => 1, { concurrency: 1.5 })).rejects.toThrow(TypeError);
    await expect(mapConcurrent(42 as unknown as number[], async () => 1)).rejects.toThrow(/iterable/);
  });

  it('leaves the pace to the limiter: 8 at once, but never more than its budget', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 5, intervalMs: 1_000, marginMs: 0, clock });
    const at: number[] = [];
    await mapConcurrent(
      Array.from({ length: 12 }, (_, i) => i),
      async () => {
        await limiter.acquire();
        at.push(clock.now() - 1_700_000_000_000);
      },
      { concurrency: 8 },
    );
    expect(at).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
  });
});
