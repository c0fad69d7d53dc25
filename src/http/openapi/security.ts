// The document's security schemes: how a request authenticates, and what each scope allows.
import type { Access } from "../auth";

export const SECURITY_SCHEMES = {
  apiKey: {
    type: "http",
    scheme: "bearer",
    description:
      "`Authorization: Bearer <key>`: a project API key (`dw_<scope>_…`, shown once at creation) or " +
      "the root `ADMIN_TOKEN`. A route's requirement lists the scope it needs: `ingest` sends " +
      "events (safe to embed in a browser), `read` reads deployments, rules, channels and " +
      "incidents, `admin` changes configuration and implies `read`; `root` is the ADMIN_TOKEN " +
      "only. The root token has every scope and names the project it acts on with `?project=`.",
  },
  queryKey: {
    type: "apiKey",
    in: "query",
    name: "key",
    description:
      "Ingest routes only: the ingest key in `?key=`, for `navigator.sendBeacon`, which cannot set headers.",
  },
} as const;

/** The OpenAPI 3.1 security requirement for a route (3.1 allows roles on any scheme). */
export function securityFor(access: Access): Record<string, string[]>[] {
  if (access === "ingest") return [{ apiKey: ["ingest"] }, { queryKey: ["ingest"] }];
  return [{ apiKey: [access] }];
}
