import { describe, expect, it } from 'vitest';
import { paginateOffset, paginatePages } from '../src/pagination.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paginateOffset', () => {
  const spec = { style: 'offset', offset: 'offset', limit: 'limit', items: 'items', total: 'total' } as const;

  it('stops when total is reached, even if the last page is full', async () => {
    const queries: Record<string, unknown>[] = [];
    const items = await collect(
      paginateOffset(spec, { limit: 2, q: 'x' }, async (query) => {
        queries.push(query);
        const offset = query.offset as number;
        return { items: [1, 2, 3, 4].slice(offset, offset + 2), total: 4 };
      }),
    );
    expect(items).toEqual([1, 2, 3, 4]);
    expect(queries).toEqual([
      { limit: 2, q: 'x', offset: 0 },
      { limit: 2, q: 'x', offset: 2 },
    ]);
  });

  it('stops on a short page when there is no total, and starts where asked', async () => {
    const offsets: unknown[] = [];
    const items = await collect(
      paginateOffset({ ...spec, total: undefined }, { offset: 1, limit: 2 }, async (query) => {
        offsets.push(query.offset);
        return { items: ['a', 'b', 'c', 'd'].slice(query.offset as number, (query.offset as number) + 2) };
      }),
    );
    expect(items).toEqual(['b', 'c', 'd']);
    expect(offsets).toEqual([1, 3]);
  });

  it('stops on an empty page and a missing list', async () => {
    expect(await collect(paginateOffset(spec, {}, async () => ({ items: [], total: 10 })))).toEqual([]);
    expect(await collect(paginateOffset(spec, {}, async () => ({ total: 0 })))).toEqual([]);
  });

  it('fails loudly when the result has no list where the spec says', async () => {
    await expect(collect(paginateOffset(spec, {}, async () => ({ items: 'nope' })))).rejects.toThrow('paged result has no array at "items"');
  });
});

describe('paginatePages', () => {
  const spec = { style: 'page', page: 'page', size: 'size', items: 'content', totalPages: 'page.totalPages', firstPage: 0, pageSize: 200 } as const;

  it('fetches pages of the default size until the last one', async () => {
    const pages: unknown[] = [];
    const items = await collect(
      paginatePages(spec, { companyId: 'c1' }, async (query) => {
        pages.push([query.page, query.size, query.companyId]);
        const n = query.page as number;
        return { content: n < 2 ? [n * 2, n * 2 + 1] : [4], page: { size: 200, totalElements: 5, totalPages: 3, number: n } };
      }),
    );
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(pages).toEqual([
      [0, 200, 'c1'],
      [1, 200, 'c1'],
      [2, 200, 'c1'],
    ]);
  });

  it('stops after a single page when totalPages is 0 or 1, and on a short page without totals', async () => {
    let calls = 0;
    await collect(
      paginatePages(spec, {}, async () => {
        calls++;
        return { content: [1], page: { totalPages: 1 } };
      }),
    );
    expect(calls).toBe(1);
    calls = 0;
    await collect(
      paginatePages({ ...spec, totalPages: undefined }, { size: 3 }, async () => {
        calls++;
        return { content: [1, 2] };
      }),
    );
    expect(calls).toBe(1);
  });
});
