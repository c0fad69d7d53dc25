// Lenient zod schemas for OTLP/HTTP JSON trace exports, and decoders for their attribute
// values, ids and nanosecond timestamps. Unknown OTLP fields pass through (looseObject).
import { z } from "../zod";

/** proto3 JSON writes 64-bit integers as strings; numbers are accepted too. */
const Int64Schema = z.union([
  z.number().refine(Number.isInteger, "must be an integer"),
  z.string().regex(/^-?\d+$/, "must be an integer"),
]);
const UnixNanoSchema = z.union([
  z.number().nonnegative().refine(Number.isInteger, "must be an integer"),
  z.string().regex(/^\d{1,20}$/, "must be a string of digits (nanoseconds since the epoch)"),
]);

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: number | string;
  /** A number, or a string such as "NaN" or "Infinity" as proto3 JSON allows. */
  doubleValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
}

// kvlistValue and bytesValue are allowed but not decoded: no mapped attribute uses them.
export const AnyValueSchema: z.ZodType<OtlpAnyValue> = z.looseObject({
  stringValue: z.string().optional(),
  intValue: Int64Schema.optional(),
  doubleValue: z.union([z.number(), z.string()]).optional(),
  boolValue: z.boolean().optional(),
  get arrayValue() {
    return z.looseObject({ values: z.array(AnyValueSchema).optional() }).optional();
  },
});

export const AttributesSchema = z
  .array(z.looseObject({ key: z.string(), value: AnyValueSchema.optional() }))
  .optional();

export const ResourceSchema = z.looseObject({ attributes: AttributesSchema });

export const SpanSchema = z.looseObject({
  traceId: z.string().optional(),
  spanId: z.string(),
  name: z.string().optional(),
  startTimeUnixNano: UnixNanoSchema,
  endTimeUnixNano: UnixNanoSchema.optional(),
  attributes: AttributesSchema,
  events: z
    .array(z.looseObject({ name: z.string().optional(), attributes: AttributesSchema }))
    .optional(),
  status: z
    .looseObject({
      code: z.union([z.number(), z.string()]).optional(),
      message: z.string().optional(),
    })
    .optional(),
});
export type OtlpSpan = z.infer<typeof SpanSchema>;

/** Only the containers are checked here; spans are validated one by one. */
export const ExportTraceServiceRequestSchema = z.looseObject({
  resourceSpans: z
    .array(
      z.looseObject({
        resource: z.unknown().optional(),
        scopeSpans: z.array(z.looseObject({ spans: z.array(z.unknown()).optional() })).optional(),
      }),
    )
    .optional(),
});

/** A decoded attribute value; kvlist, bytes and empty values decode to undefined. */
export type AttrValue = string | number | boolean | AttrValue[] | undefined;
export type Attrs = ReadonlyMap<string, AttrValue>;

export function decodeValue(v: OtlpAnyValue | undefined): AttrValue {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}

export function attributeMap(kvs: { key: string; value?: OtlpAnyValue }[] | undefined): Attrs {
  const map = new Map<string, AttrValue>();
  for (const kv of kvs ?? []) map.set(kv.key, decodeValue(kv.value));
  return map;
}

/**
 * A trace or span id as lower-case hex. The OTLP/JSON spec says hex, but exporters that use
 * the generic protobuf JSON mapping send base64 of the raw bytes; both are accepted.
 * Undefined when neither decodes to `bytes` bytes or the id is all zeros (invalid in OTLP).
 */
export function normalizeOtlpId(raw: string, bytes: 8 | 16): string | undefined {
  let hex: string | undefined;
  if (raw.length === bytes * 2 && /^[0-9a-f]+$/i.test(raw)) {
    hex = raw.toLowerCase();
  } else {
    const b64 = raw.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    if (!/^[A-Za-z0-9+/]*$/.test(b64) || b64.length !== Math.ceil((bytes * 4) / 3)) {
      return undefined;
    }
    const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="));
    if (bin.length !== bytes) return undefined;
    hex = Array.from(bin, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  }
  return /^0+$/.test(hex) ? undefined : hex;
}
