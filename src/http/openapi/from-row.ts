// Responses built from their schemas: every field a response schema names is read from the
// drizzle row's camelCase column of the same name, then parsed by the schema, so an answer
// holds exactly what the OpenAPI document says (unknown columns such as secrets are dropped).
import type { z } from "../../zod";

const camel = (key: string) =>
  key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** `schema`'s fields from `row` (snake_case field ← camelCase column, else the same name). */
export function fromRow<S extends z.ZodObject>(schema: S, row: object): z.output<S> {
  const source = row as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    picked[key] = key in source ? source[key] : source[camel(key)];
  }
  const parsed = schema.safeParse(picked);
  // Not a ZodError: that would reach the client as a 400, and this is our fault (500, logged).
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `response does not match its schema at ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
