import { ApiPromise, type ResponseInfo, type WithResponse } from './api-promise.js';
import { PaginationError } from './errors.js';
import { getPath, type PaginationSpec } from './spec.js';

/**
 * Paged lists. A paged method returns a PagePromise: await it for the first (or the asked-for)
 * page, `for await` it for every item across pages, or walk `.pages()`. Each page knows its items,
 * the total when the API says it, whether another page follows and the parameters that fetch it,
 * so a caller can stop and resume later.
 *
 * Iteration stops at the last page, and with a PaginationError (never an endless loop) when a page
 * repeats the previous one or more than `maxPages` pages were fetched.
 */

/** Fetches the page for these parameters (the caller's, with the page or offset parameter set). */
export type FetchPage<Result> = (params: Record<string, unknown>) => Promise<WithResponse<Result>>;

export interface PagingOptions {
  /** Most pages one iteration fetches before it fails with a PaginationError. Default 10,000. */
  maxPages?: number | undefined;
  /**
   * While you work on one page of an iteration (`for await`, `.pages()`), fetch the next one: one
   * page ahead at most, so leaving a loop early costs at most one request. Default on for
   * read-only (GET) lists, off for the others. A prefetched page's failure surfaces when the
   * iteration reaches it.
   */
  prefetch?: boolean | undefined;
}

export const DEFAULT_MAX_PAGES = 10_000;
const DEFAULT_PAGE_SIZE = 100;

/** `Params` is the method's params type, so that `nextPageParams()` can be passed back to the method. */
export class Page<Item, Result = unknown, Params extends object = Record<string, unknown>> implements AsyncIterable<Item> {
  /** The whole typed result of this page. */
  readonly data: Result;
  readonly items: Item[];
  /** The total number of items, when the API says it. */
  readonly total: number | undefined;
  readonly response: ResponseInfo;
  /** The parameters this page was fetched with. */
  readonly params: Readonly<Params>;
  /** This page's index in the current iteration (0 for the first page fetched). */
  readonly index: number;

  readonly #spec: PaginationSpec;
  readonly #fetch: FetchPage<Result>;
  readonly #options: PagingOptions;

  constructor(spec: PaginationSpec, params: Params, fetched: WithResponse<Result>, fetch: FetchPage<Result>, options: PagingOptions, index = 0) {
    this.#spec = spec;
    this.#fetch = fetch;
    this.#options = options;
    this.params = params;
    this.index = index;
    this.data = fetched.data;
    this.response = fetched.response;
    this.items = itemsOf<Item>(fetched.data, spec.items);
    const total = spec.total === undefined ? undefined : getPath(fetched.data, spec.total);
    this.total = typeof total === 'number' && Number.isFinite(total) ? total : undefined;
  }

  /** The parameters that fetch the next page, or undefined after the last one. */
  nextPageParams(): Params | undefined {
    return this.#next() as Params | undefined;
  }

  #next(): Record<string, unknown> | undefined {
    const spec = this.#spec;
    const params = this.params as Readonly<Record<string, unknown>>;
    if (this.items.length === 0) return undefined;
    if (spec.style === 'offset') {
      const offset = numberOr(params[spec.offset], 0) + this.items.length;
      // With a total, the total decides (a server may cap the page size below the limit asked for).
      if (this.total !== undefined) return offset < this.total ? { ...params, [spec.offset]: offset } : undefined;
      const limit = numberOr(params[spec.limit], spec.pageSize ?? DEFAULT_PAGE_SIZE);
      return this.items.length < limit ? undefined : { ...params, [spec.offset]: offset };
    }
    const first = spec.firstPage ?? 0;
    const page = numberOr(params[spec.page], first);
    const totalPages = spec.totalPages === undefined ? undefined : getPath(this.data, spec.totalPages);
    if (typeof totalPages === 'number') return page + 1 - first < totalPages ? { ...params, [spec.page]: page + 1 } : undefined;
    if (this.total !== undefined) {
      const size = numberOr(params[spec.size], spec.pageSize ?? DEFAULT_PAGE_SIZE);
      return (page + 1 - first) * size < this.total ? { ...params, [spec.page]: page + 1 } : undefined;
    }
    const size = numberOr(params[spec.size], spec.pageSize ?? DEFAULT_PAGE_SIZE);
    return this.items.length < size ? undefined : { ...params, [spec.page]: page + 1 };
  }

  hasNextPage(): boolean {
    return this.nextPageParams() !== undefined;
  }

  /** Fetches the next page; fails with a PaginationError after the last one. */
  getNextPage(): ApiPromise<Page<Item, Result, Params>> {
    const next = this.nextPageParams();
    if (!next) return new ApiPromise(Promise.reject(new PaginationError('there is no next page (check hasNextPage() first)')));
    return new ApiPromise(
      this.#fetch(next as Record<string, unknown>).then((fetched) => {
        const page = new Page<Item, Result, Params>(this.#spec, next, fetched, this.#fetch, this.#options, this.index + 1);
        page.#checkProgress(this);
        return { data: page, response: fetched.response };
      }),
    );
  }

  /** This page and every page after it (with `prefetch`, the next one is on its way while you work on this one). */
  async *pages(): AsyncGenerator<Page<Item, Result, Params>, void, undefined> {
    const max = maxPagesOf(this.#options);
    const prefetch = this.#options.prefetch ?? true;
    let page: Page<Item, Result, Params> = this;
    for (let fetched = 1; ; fetched++) {
      const more = page.hasNextPage();
      let next: Promise<Page<Item, Result, Params>> | undefined;
      if (prefetch && more && fetched < max) {
        next = page.getNextPage().then((p) => p);
        // Seen when the iteration gets there; dropped (never unhandled) when it stops before.
        next.catch(() => undefined);
      }
      yield page;
      if (!more) return;
      if (fetched >= max) throw new PaginationError(`stopped after ${max} pages (maxPages); the list may go on`);
      page = await (next ?? page.getNextPage());
    }
  }

  /** Every item from this page on. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** A page with exactly the previous page's items (non-empty) means the server ignores the page parameter. */
  #checkProgress(previous: Page<Item, Result, Params>): void {
    if (this.items.length === 0 || this.items.length !== previous.items.length) return;
    if (JSON.stringify(this.items) === JSON.stringify(previous.items)) {
      throw new PaginationError(`page ${this.index + 1} repeats the page before it: the server does not advance (${JSON.stringify(pageParamsOf(this.#spec, this.params))})`);
    }
  }
}

/** A paged method's answer: a promise of its page that is also an async iterable of every item. */
export class PagePromise<Item, Result = unknown, Params extends object = Record<string, unknown>> extends ApiPromise<Page<Item, Result, Params>> implements AsyncIterable<Item> {
  async *pages(): AsyncGenerator<Page<Item, Result, Params>, void, undefined> {
    yield* (await this).pages();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    yield* await this;
  }
}

/**
 * The first page for `params` (from the caller's page or offset, or the first), as a PagePromise.
 * `defaults.prefetch` is the operation's default (true for a read-only list), `options` the caller's.
 */
export function firstPage<Item, Result, Params extends object = Record<string, unknown>>(
  spec: PaginationSpec,
  params: Params,
  fetch: FetchPage<Result>,
  options: PagingOptions,
  defaults: { prefetch?: boolean } = {},
): PagePromise<Item, Result, Params> {
  const max = maxPagesOf(options);
  if (!(max >= 1)) throw new TypeError('maxPages must be a positive integer');
  if (options.prefetch !== undefined && typeof options.prefetch !== 'boolean') throw new TypeError('prefetch must be true or false');
  if (options.prefetch === undefined && defaults.prefetch !== undefined) options = { ...options, prefetch: defaults.prefetch };
  const given = params as Record<string, unknown>;
  const start = spec.style === 'offset' ? { [spec.limit]: given[spec.limit] ?? spec.pageSize ?? DEFAULT_PAGE_SIZE } : { [spec.size]: given[spec.size] ?? spec.pageSize ?? DEFAULT_PAGE_SIZE };
  const query = { ...params, ...start } as Params;
  return new PagePromise<Item, Result, Params>(
    fetch(query as Record<string, unknown>).then((fetched) => ({ data: new Page<Item, Result, Params>(spec, query, fetched, fetch, options), response: fetched.response })),
  );
}

function maxPagesOf(options: PagingOptions): number {
  const max = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new TypeError('maxPages must be a positive integer');
  return max;
}

function pageParamsOf(spec: PaginationSpec, params: Readonly<object>): Record<string, unknown> {
  const given = params as Readonly<Record<string, unknown>>;
  return spec.style === 'offset' ? { [spec.offset]: given[spec.offset] } : { [spec.page]: given[spec.page] };
}

function itemsOf<Item>(result: unknown, path: string): Item[] {
  const items = getPath(result, path);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new PaginationError(`the paged result has no list at "${path}"`);
  return items as Item[];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
