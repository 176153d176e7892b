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
