// zod validation at the route, with our error envelope instead of zValidator's default.
// A JSON body is only read when the request says it is JSON (415 otherwise).
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "../zod";
import { requireJsonContentType } from "./content-type";
import { validationError } from "./errors";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw validationError(
        result.error as unknown as z.ZodError,
        target === "json" ? "request body" : target,
      );
    }
  });
  if (target !== "json") return validator;
  const jsonValidator: typeof validator = async (c, next) => {
    requireJsonContentType(c.req.header("content-type"));
    return validator(c, next);
  };
  return jsonValidator;
}
