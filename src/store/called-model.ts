import { type RawBuilder, sql } from 'kysely';
import type { StoreKind } from './store.js';

/**
 * Whether an attempt called a model. The model has no column; its JSON is written by `JSON.stringify`, where
 * `"model":` with an unescaped quote can only be the key itself. A substring test rather than `->>` or
 * `json_extract`: PostgreSQL's `->>` fails on a document holding an escaped NUL anywhere (an error message,
 * say), and a whole query must not fail for one odd event.
 */
export function calledModel(kind: StoreKind): RawBuilder<unknown> {
  const position = (needle: string) =>
    kind === 'postgres' ? sql`strpos(e.data::text, ${needle})` : sql`instr(e.data, ${needle})`;
  return sql`${position('"model":')} > 0 and ${position('"model":null')} = 0`;
}
