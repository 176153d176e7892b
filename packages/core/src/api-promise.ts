/**
 * What every generated method returns: a promise of the typed result that also offers
 * `.withResponse()`, for the status, headers and request id beside the data.
 */

/** What arrived with a result (secrets already removed from `url`). */
export interface ResponseInfo {
  status: number;
  statusText: string;
  headers: Headers;
  /** The provider's request id (`x-request-id`, `request-id`, `x-correlation-id`, ...), when it sends one. */
  requestId: string | undefined;
  /** The request URL with secrets removed. */
  url: string;
  /** Attempts made, including the first. */
  attempts: number;
  /** The whole decoded body, before an envelope was unwrapped (e.g. to read a job id beside the result). */
  body: unknown;
}

export interface WithResponse<T> {
  data: T;
  response: ResponseInfo;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid', 'cf-ray'];

/** The request id of an answer, from the headers providers commonly use for it. */
export function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * A Promise of `T` (awaiting it gives the data) that started its request when it was created.
 * `withResponse()` gives `{ data, response }` instead.
 */
export class ApiPromise<T> extends Promise<T> {
  readonly #result: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(result: Promise<WithResponse<T>>) {
    // The base promise is never used: every `then` goes to the result's data.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
  }

  /** `then`, `catch` and `finally` return plain Promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** The data and what arrived with it. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#result;
  }

  // biome-ignore lint/suspicious/noThenProperty: this is a Promise subclass; `then` delegates to the result.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#data ??= this.#result.then((r) => r.data);
    return this.#data.then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}
