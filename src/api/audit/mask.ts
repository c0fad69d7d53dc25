// Secrets masked in audit before/after values when they are read back. The writers already
// store views that mask channel URLs and secret headers; this is the second guard, for any
// value a writer stored in full.
import { maskSecret } from "../../alerts/delivery/delivery-policy";

/** Field names whose values are secret, whatever they look like. */
const SECRET_NAME = /secret|token|password|authorization|api[_-]?key|webhook/i;

/** Values that are secret wherever they appear: signing secrets, our keys, Slack hooks. */
function looksSecret(value: string): boolean {
  return (
    value.startsWith("whsec_") ||
    /^dw_(ingest|read|admin)_/.test(value) ||
    /^https:\/\/hooks\.slack\.com\/services\//.test(value)
  );
}

/** Already masked by its writer (maskSecret leaves `****`): masking again would hide the tail. */
const masked = (value: string) => value.includes("****");

function maskString(value: string, secretByName: boolean): string {
  if (masked(value)) return value;
  return secretByName || looksSecret(value) ? maskSecret(value) : value;
}

/** A copy of `value` with every secret string masked; other values unchanged. */
export function maskAuditValue(value: unknown, secretByName = false): unknown {
  if (typeof value === "string") return maskString(value, secretByName);
  if (Array.isArray(value)) return value.map((item) => maskAuditValue(item, secretByName));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        maskAuditValue(item, secretByName || SECRET_NAME.test(key)),
      ]),
    );
  }
  return value;
}
