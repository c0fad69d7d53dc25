// Named re-exports behind src/zod.ts; add a name here when code needs more of zod.
// `#zod` is zod itself (package.json "imports"): the bundle aliases the bare name `zod` to
// src/zod-for-hono-openapi.ts, so this file names zod another way.

export type { infer, input, output, RefinementCtx, ZodObject, ZodType } from "#zod";
export {
  array,
  boolean,
  coerce,
  custom,
  discriminatedUnion,
  enum,
  instanceof,
  iso,
  lazy,
  literal,
  looseObject,
  number,
  object,
  record,
  strictObject,
  string,
  union,
  unknown,
  url,
  ZodError,
} from "#zod";
