/** What a personal value reads once its subject was erased (SPEC §8): events, read models, webhooks. */
export const ERASED = '[erased]';

/** A personal value after erasure: a value reads ERASED, an absent one stays absent. */
export const erasedText = <T extends string | null>(value: T): T =>
  (value === null ? null : ERASED) as T;
