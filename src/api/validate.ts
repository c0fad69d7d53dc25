// zod validation at the route, with our error envelope instead of zValidator's default.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { validationError } from "./errors";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw validationError(
        result.error as unknown as z.ZodError,
        target === "json" ? "request body" : target,
      );
    }
  });
}
