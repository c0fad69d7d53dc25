// Hono generics shared by every router: bindings plus per-request variables.
import type { KeyScope } from "../db/schema";

export interface AuthContext {
  /** "root" is the ADMIN_TOKEN bearer; it belongs to no project. */
  kind: "root" | "key";
  projectId?: string;
  keyId?: string;
  scopes: readonly KeyScope[];
  priceOverrides?: Record<string, { input: number; output: number }> | null;
}

export interface AppVars {
  requestId: string;
  auth: AuthContext;
}

export type AppEnv = { Bindings: Env; Variables: AppVars };
