/**
 * Many calls at once, without writing a pool: "for every company, list its subscriptions" at the
 * provider's limit. Every call still goes through the client's rate limiter, so the concurrency
 * only needs to cover the latency (requests in flight = rate × latency); the limiter keeps the
 * budget, in order.
 *
 * ```ts
 * const perCompany = await mapConcurrent(pax8.companies.list({ size: 200 }), async (company) => {
 *   const subscriptions = [];
 *   for await (const s of pax8.subscriptions.list({ companyId: company.id })) subscriptions.push(s);
 *   return { company, subscriptions };
 * }, { concurrency: 8 });
 * ```
 */
export interface ConcurrencyOptions {
  /** Calls running at once: a positive integer. Default 8. */
  concurrency?: number;
  /** When it aborts, no new call starts, and the result rejects with its reason once the running calls have ended. */
  signal?: AbortSignal;
}

export const DEFAULT_CONCURRENCY = 8;

/**
 * Calls `fn` for every item, at most `concurrency` at a time, and resolves their results in the
 * items' order. `items` may be an array, any iterable, or an async iterable such as a paged list
 * (items are pulled as calls finish, so pages are fetched as they are needed, not all up front).
 *
 * On the first failure no new call starts, and the promise rejects with that error once the calls
 * already running have ended: nothing of it runs on after the promise settles. (Catch inside `fn`
 * to go on past failures.)
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: (item: T, index: number) => Promise<R> | R,
  options: ConcurrencyOptions = {},
): Promise<R[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= 1)) throw new TypeError('concurrency must be a positive integer');
  if (typeof fn !== 'function') throw new TypeError('mapConcurrent needs a function to call for each item');
  const signal = options.signal;
  signal?.throwIfAborted();
  const iterator = iteratorOf(items);
  const results: R[] = [];
  let index = 0;
  let failure: { error: unknown } | undefined;
  let finished = false;
  // One pull at a time: not every async iterator may be asked for its next item while it is still answering.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<IteratorResult<T>> => {
    const next = pulling.then(() => iterator.next());
    pulling = next.catch(() => undefined);
    return next;
  };
  const stopped = () => failure !== undefined || finished || signal?.aborted === true;

  const worker = async () => {
    while (!stopped()) {
      let step: IteratorResult<T>;
      try {
        step = await pull();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (step.done) {
        finished = true;
        return;
      }
      if (stopped()) return;
      const at = index++;
      try {
        results[at] = await fn(step.value, at);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (!finished) await iterator.return?.().catch(() => undefined); // lets a paged list stop fetching
  if (failure) throw failure.error;
  if (signal?.aborted) throw signal.reason;
  return results;
}

interface Pull<T> {
  next(): Promise<IteratorResult<T>>;
  return?(): Promise<unknown>;
}

function iteratorOf<T>(items: Iterable<T> | AsyncIterable<T>): Pull<T> {
  if (items && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
    const it = (items as AsyncIterable<T>)[Symbol.asyncIterator]();
    return { next: () => it.next(), return: async () => it.return?.() };
  }
  if (items && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') {
    const it = (items as Iterable<T>)[Symbol.iterator]();
    return { next: async () => it.next(), return: async () => it.return?.() };
  }
  throw new TypeError('mapConcurrent needs an array, an iterable or an async iterable of items');
}
