import { describe, expect, it } from 'vitest';
import type { ResponseInfo } from '../src/api-promise.js';
import { PaginationError } from '../src/errors.js';
import { type FetchPage, firstPage } from '../src/pagination.js';

const response: ResponseInfo = { status: 200, statusText: 'OK', headers: new Headers(), requestId: undefined, url: 'u', attempts: 1, body: undefined };

/** A FetchPage over a function of the query, recording every query. */
function fetcher<R>(answer: (query: Record<string, unknown>) => R): { fetch: FetchPage<R>; queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = [];
  return {
    queries,
    fetch: async (query) => {
      queries.push(query);
      return { data: answer(query), response };
    },
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('offset/limit pages', () => {
  const spec = { style: 'offset', offset: 'offset', limit: 'limit', items: 'items', total: 'total' } as const;

  it('stops when total is reached, even if the last page is full', async () => {
    const f = fetcher((q) => ({ items: [1, 2, 3, 4].slice(Number(q.offset ?? 0), Number(q.offset ?? 0) + 2), total: 4 }));
    expect(await collect(firstPage(spec, { limit: 2, q: 'x' }, f.fetch, {}))).toEqual([1, 2, 3, 4]);
    expect(f.queries).toEqual([
      { limit: 2, q: 'x' },
      { limit: 2, q: 'x', offset: 2 },
    ]);
  });

  it('keeps going while offset < total, even when the server caps the page below the limit asked for', async () => {
    // Asked for 100, the server gives 3 at a time: a short page is not the last one while total says more remain.
    const all = Array.from({ length: 8 }, (_, i) => i);
    const f = fetcher((q) => ({ items: all.slice(Number(q.offset ?? 0), Number(q.offset ?? 0) + 3), total: all.length }));
    expect(await collect(firstPage(spec, { limit: 100 }, f.fetch, {}))).toEqual(all);
    expect(f.queries.map((q) => q.offset)).toEqual([undefined, 3, 6]);
  });

  it('stops on a short page when there is no total, and starts where asked', async () => {
    const f = fetcher((q) => ({ items: ['a', 'b', 'c', 'd'].slice(q.offset as number, (q.offset as number) + 2) }));
    expect(await collect(firstPage({ ...spec, total: undefined }, { offset: 1, limit: 2 }, f.fetch, {}))).toEqual(['b', 'c', 'd']);
    expect(f.queries.map((q) => q.offset)).toEqual([1, 3]);
  });

  it('stops on an empty page and a missing list, whatever total says', async () => {
    expect(await collect(firstPage(spec, {}, fetcher(() => ({ items: [], total: 10 })).fetch, {}))).toEqual([]);
    expect(await collect(firstPage(spec, {}, fetcher(() => ({ total: 0 })).fetch, {}))).toEqual([]);
  });

  it('fails loudly when the result has no list where the spec says', async () => {
    await expect(collect(firstPage(spec, {}, fetcher(() => ({ items: 'nope' })).fetch, {}))).rejects.toThrow('the paged result has no list at "items"');
  });

  it('fails with a PaginationError, not an endless loop, when the server repeats a page', async () => {
    const f = fetcher(() => ({ items: ['same', 'page'], total: 1_000_000 }));
    const error = await collect(firstPage(spec, { limit: 2 }, f.fetch, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/repeats the page before it/);
    expect(f.queries).toHaveLength(2);
  });

  it('stops at maxPages with a PaginationError', async () => {
    let n = 0;
    const f = fetcher(() => ({ items: [n++, n++], total: Number.MAX_SAFE_INTEGER }));
    const error = await collect(firstPage(spec, { limit: 2 }, f.fetch, { maxPages: 5 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/stopped after 5 pages/);
    expect(f.queries).toHaveLength(5);
  });
});

describe('page/size pages', () => {
  const spec = { style: 'page', page: 'page', size: 'size', items: 'content', totalPages: 'page.totalPages', firstPage: 0, pageSize: 200 } as const;

  it('fetches pages of the default size until the last one', async () => {
    const f = fetcher((q) => {
      const n = Number(q.page ?? 0);
      return { content: n < 2 ? [n * 2, n * 2 + 1] : [4], page: { size: 200, totalElements: 5, totalPages: 3, number: n } };
    });
    expect(await collect(firstPage(spec, { companyId: 'c1' }, f.fetch, {}))).toEqual([0, 1, 2, 3, 4]);
    expect(f.queries).toEqual([
      { companyId: 'c1', size: 200 },
      { companyId: 'c1', size: 200, page: 1 },
      { companyId: 'c1', size: 200, page: 2 },
    ]);
  });

  it('stops after a single page when totalPages is 0 or 1, and on a short page without totals', async () => {
    const one = fetcher(() => ({ content: [1], page: { totalPages: 1 } }));
    await collect(firstPage(spec, {}, one.fetch, {}));
    expect(one.queries).toHaveLength(1);
    const short = fetcher(() => ({ content: [1, 2] }));
    await collect(firstPage({ ...spec, totalPages: undefined }, { size: 3 }, short.fetch, {}));
    expect(short.queries).toHaveLength(1);
  });

  it('uses the total number of items when the page count is missing', async () => {
    const f = fetcher((q) => ({ content: [Number(q.page ?? 0)], total: 3 }));
    expect(await collect(firstPage({ ...spec, totalPages: undefined, total: 'total' }, { size: 1 }, f.fetch, {}))).toEqual([0, 1, 2]);
  });
});

describe('prefetch: the next page is on its way while the consumer works on this one', () => {
  const spec = { style: 'page', page: 'page', size: 'size', items: 'items', totalPages: 'totalPages', firstPage: 0 } as const;
  const PAGES = 4;

  /** A FetchPage whose answers the test releases by hand, recording what was asked and when. */
  function manual() {
    const log: string[] = [];
    const pending: { page: number; resolve: () => void }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const fetch: FetchPage<unknown> = (query) => {
      const page = Number(query.page ?? 0);
      log.push(`fetch ${page}`);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise((resolve, reject) => {
        pending.push({
          page,
          resolve: () => {
            inFlight--;
            if (page === 99) reject(new Error('never'));
            resolve({ data: { items: [`p${page}a`, `p${page}b`], totalPages: PAGES }, response });
          },
        });
      });
    };
    const release = async () => {
      for (let i = 0; i < 1000 && pending.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
      pending.shift()?.resolve();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    return { fetch, log, release, pending, mostInFlight: () => mostInFlight };
  }

  it('asks for page n+1 as page n is handed over, never more than one page ahead', async () => {
    const m = manual();
    const seen: string[] = [];
    const consuming = (async () => {
      for await (const page of firstPage<string, unknown>(spec, { size: 2 }, m.fetch, {}).pages()) {
        m.log.push(`consume ${page.params.page ?? 0}`);
        seen.push(...page.items);
        await new Promise((r) => setTimeout(r, 5)); // the consumer's work on the page
      }
    })();
    for (let i = 0; i < PAGES; i++) await m.release();
    await consuming;
    expect(seen).toHaveLength(PAGES * 2);
    expect(m.log).toEqual(['fetch 0', 'fetch 1', 'consume 0', 'fetch 2', 'consume 1', 'fetch 3', 'consume 2', 'consume 3']);
    expect(m.mostInFlight()).toBe(1); // one request at a time: the next, while the consumer works
  });

  it('fetches one page at a time after the consumer, with prefetch: false', async () => {
    const m = manual();
    const consuming = (async () => {
      for await (const page of firstPage<string, unknown>(spec, { size: 2 }, m.fetch, { prefetch: false }).pages()) m.log.push(`consume ${page.params.page ?? 0}`);
    })();
    for (let i = 0; i < PAGES; i++) await m.release();
    await consuming;
    expect(m.log).toEqual(['fetch 0', 'consume 0', 'fetch 1', 'consume 1', 'fetch 2', 'consume 2', 'fetch 3', 'consume 3']);
  });

  it('costs at most one extra request when the consumer stops early, and never prefetches past maxPages', async () => {
    const f = fetcher((q) => ({ items: [Number(q.page ?? 0)], totalPages: 100 }));
    for await (const item of firstPage<number, unknown>(spec, { size: 1 }, f.fetch, {})) if (item === 1) break;
    expect(f.queries.map((q) => q.page ?? 0)).toEqual([0, 1, 2]);

    const g = fetcher((q) => ({ items: [Number(q.page ?? 0)], totalPages: 100 }));
    await expect(collect(firstPage<number, unknown>(spec, { size: 1 }, g.fetch, { maxPages: 3 }))).rejects.toThrow(/stopped after 3 pages/);
    expect(g.queries).toHaveLength(3);
  });

  it('surfaces a prefetched page\'s failure when the iteration reaches it, and drops it silently when it stopped before', async () => {
    const failing: FetchPage<unknown> = async (q) => {
      if (Number(q.page ?? 0) === 1) throw new Error('page 1 failed');
      return { data: { items: ['x'], totalPages: 3 }, response };
    };
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of firstPage<string, unknown>(spec, { size: 1 }, failing, {})) seen.push(item);
      })(),
    ).rejects.toThrow('page 1 failed');
    expect(seen).toEqual(['x']);
    // Stopping on page 0 while page 1 (which fails) is on its way: no unhandled rejection, nothing thrown.
    for await (const _ of firstPage<string, unknown>(spec, { size: 1 }, failing, {})) break;
    await new Promise((r) => setTimeout(r, 10));
    expect(() => firstPage(spec, {}, failing, { prefetch: 'yes' as unknown as boolean })).toThrow(/prefetch must be true or false/);
  });

  it('takes the operation\'s default when the caller gives none', async () => {
    const f = fetcher((q) => ({ items: [Number(q.page ?? 0)], totalPages: 3 }));
    const order: string[] = [];
    const tracked: FetchPage<unknown> = (q) => {
      order.push(`fetch ${q.page ?? 0}`);
      return f.fetch(q);
    };
    for await (const page of firstPage<number, unknown>(spec, { size: 1 }, tracked, {}, { prefetch: false }).pages()) order.push(`consume ${page.index}`);
    expect(order).toEqual(['fetch 0', 'consume 0', 'fetch 1', 'consume 1', 'fetch 2', 'consume 2']);
  });
});
