// The zod API Driftwatch uses, as one namespace: `import { z } from "../zod"`.
// NOTE: `import { z } from "zod"` keeps zod's whole namespace alive in the bundle
// (every locale, JSON Schema conversion: ~0.5 MB of the Worker), since a namespace
// object cannot be tree-shaken; naming each export here lets esbuild drop the rest.
// biome's noRestrictedImports keeps `zod` itself out of src/.
export * as z from "./zod-api";
