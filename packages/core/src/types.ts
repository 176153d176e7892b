/** Type helpers used by generated clients. */

/** The payload of an envelope `T` under `K`, or `undefined` when the envelope carries none. */
export type EnvelopeResult<T, K extends string> = T extends { [P in K]: infer R } ? R : K extends keyof T ? T[K] : undefined;

/** The element type of a list found at a (single-level) key of a result. */
export type ItemsAt<T, K extends string> = T extends { [P in K]?: infer L } ? (NonNullable<L> extends readonly (infer I)[] ? I : never) : never;
