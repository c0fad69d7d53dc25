// Named re-exports behind src/zod.ts; add a name here when code needs more of zod.

export type { infer, input, output, RefinementCtx, ZodObject, ZodType } from "zod";
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
} from "zod";
