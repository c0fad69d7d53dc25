// A small JSON Schema subset for the is-json assertion: type, required, properties,
// items, enum. Enough to say "an object with a string `answer` and a `confidence`
// number"; anything else in the schema is rejected at the route, not ignored.
import { z } from "../zod";

export const JSON_TYPES = [
  "object",
  "array",
  "string",
  "number",
  "integer",
  "boolean",
  "null",
] as const;

export interface LiteSchema {
  type?: (typeof JSON_TYPES)[number];
  required?: string[];
  properties?: Record<string, LiteSchema>;
  items?: LiteSchema;
  enum?: unknown[];
}

// Named (meta id): a recursive schema is documented as a component that refers to itself.
export const LiteSchemaSchema: z.ZodType<LiteSchema> = z
  .lazy(() =>
    z.strictObject({
      type: z.enum(JSON_TYPES).optional(),
      required: z.array(z.string().max(128)).max(64).optional(),
      properties: z.record(z.string().max(128), LiteSchemaSchema).optional(),
      items: LiteSchemaSchema.optional(),
      enum: z.array(z.unknown()).min(1).max(64).optional(),
    }),
  )
  .meta({ id: "ProbeJsonSchema" });

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v;

function matchesType(v: unknown, type: LiteSchema["type"]): boolean {
  if (type === undefined) return true;
  if (type === "integer") return typeof v === "number" && Number.isInteger(v);
  return typeOf(v) === type;
}

/** The first violation as "path: message", or null when `value` conforms. */
export function checkLiteSchema(value: unknown, schema: LiteSchema, path = "$"): string | null {
  if (!matchesType(value, schema.type))
    return `${path}: expected ${schema.type}, got ${typeOf(value)}`;
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return `${path}: not one of ${JSON.stringify(schema.enum)}`;
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (!Object.hasOwn(obj, key)) return `${path}: missing required "${key}"`;
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (!Object.hasOwn(obj, key)) continue;
      const err = checkLiteSchema(obj[key], sub, `${path}.${key}`);
      if (err) return err;
    }
  }
  if (Array.isArray(value) && schema.items) {
    for (const [i, item] of value.entries()) {
      const err = checkLiteSchema(item, schema.items, `${path}[${i}]`);
      if (err) return err;
    }
  }
  return null;
}
