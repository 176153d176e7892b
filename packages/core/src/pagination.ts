import { getPath, type PaginationSpec } from './spec.js';

/**
 * Iterators over paged lists. `fetchPage` receives the query for one page and returns the page's
 * (unwrapped) result; the iterator yields its items and stops after the last page.
 */
export type FetchPage = (query: Record<string, unknown>) => Promise<unknown>;

const DEFAULT_PAGE_SIZE = 100;

/** offset/limit: advances `offset` by the items received until a short or empty page, or `total`. */
export async function* paginateOffset<Item>(
  spec: Extract<PaginationSpec, { style: 'offset' }>,
  query: Record<string, unknown>,
  fetchPage: FetchPage,
): AsyncGenerator<Item, void, undefined> {
  let offset = numberOr(query[spec.offset], 0);
  const limit = numberOr(query[spec.limit], spec.pageSize ?? DEFAULT_PAGE_SIZE);
  for (;;) {
    const result = await fetchPage({ ...query, [spec.offset]: offset, [spec.limit]: limit });
    const items = itemsOf<Item>(result, spec.items);
    yield* items;
    offset += items.length;
    const total = spec.total === undefined ? undefined : getPath(result, spec.total);
    if (items.length === 0 || items.length < limit) return;
    if (typeof total === 'number' && offset >= total) return;
  }
}

/** page/size: advances `page` until the page count is reached, or a short or empty page. */
export async function* paginatePages<Item>(
  spec: Extract<PaginationSpec, { style: 'page' }>,
  query: Record<string, unknown>,
  fetchPage: FetchPage,
): AsyncGenerator<Item, void, undefined> {
  const first = spec.firstPage ?? 0;
  let page = numberOr(query[spec.page], first);
  const size = numberOr(query[spec.size], spec.pageSize ?? DEFAULT_PAGE_SIZE);
  for (;;) {
    const result = await fetchPage({ ...query, [spec.page]: page, [spec.size]: size });
    const items = itemsOf<Item>(result, spec.items);
    yield* items;
    const totalPages = spec.totalPages === undefined ? undefined : getPath(result, spec.totalPages);
    page += 1;
    if (items.length === 0) return;
    if (typeof totalPages === 'number') {
      if (page - first >= totalPages) return;
    } else if (items.length < size) {
      return;
    }
  }
}

export function paginate<Item>(spec: PaginationSpec, query: Record<string, unknown>, fetchPage: FetchPage): AsyncGenerator<Item, void, undefined> {
  return spec.style === 'offset' ? paginateOffset<Item>(spec, query, fetchPage) : paginatePages<Item>(spec, query, fetchPage);
}

function itemsOf<Item>(result: unknown, path: string): Item[] {
  const items = getPath(result, path);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new TypeError(`paged result has no array at "${path}"`);
  return items as Item[];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
