// Hono generics shared by every router: bindings plus per-request variables.
import type { DeploymentRow } from "../db/deployment-named";
import type { KeyScope } from "../db/schema";

export interface AuthContext {
  /** "root" is the ADMIN_TOKEN bearer; it belongs to no project. */
  kind: "root" | "key";
  projectId?: string;
  keyId?: string;
  /** The key's name (what the audit log shows beside its id). */
  keyName?: string;
  scopes: readonly KeyScope[];
  priceOverrides?: Record<string, { input: number; output: number }> | null;
  /** Epoch ms; null or absent: never expires. */
  expiresAt?: number | null;
  /** Last use as this isolate knows it; auth.ts moves it forward when it writes a newer one. */
  lastUsedAt?: number | null;
  /** Ingest keys: allowed browser origins and deployment slugs; null or absent: any. */
  allowedOrigins?: readonly string[] | null;
  allowedDeployments?: readonly string[] | null;
}

export interface AppVars {
  requestId: string;
  auth: AuthContext;
}

export type AppEnv = { Bindings: Env; Variables: AppVars };

/** Routers behind authenticated() and a project scope (scope-middleware.ts). */
export interface ProjectVars extends AppVars {
  /** The project the request acts on: the key's own, or the one the root token named. */
  projectId: string;
}
export type ProjectEnv = { Bindings: Env; Variables: ProjectVars };

export type { DeploymentRow };

/** Routers under /v1/deployments/:env/:slug: the deployment is resolved once. */
export interface DeploymentVars extends ProjectVars {
  deployment: DeploymentRow;
}
export type DeploymentEnv = { Bindings: Env; Variables: DeploymentVars };
