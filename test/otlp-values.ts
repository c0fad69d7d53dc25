// OTLP/JSON attribute values, attribute lists and times as an exporter writes them, for the
// tests that build spans and log records by hand.
export type OtlpValue =
  | { stringValue: string }
  | { intValue: string | number }
  | { doubleValue: number | string }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpValue[] } }
  | { kvlistValue: { values: { key: string; value: OtlpValue }[] } };

export const str = (stringValue: string): OtlpValue => ({ stringValue });
export const int = (intValue: string | number): OtlpValue => ({ intValue });
export const dbl = (doubleValue: number | string): OtlpValue => ({ doubleValue });

/** `{key: value}` as OTLP's list of `{key, value}` pairs. */
export const attrs = (o: Record<string, OtlpValue>) =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

/** Milliseconds since the epoch as OTLP's decimal string of nanoseconds. */
export const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
