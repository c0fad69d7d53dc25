// What @hono/zod-openapi gets for `import { z } from "zod"` in the Worker bundle (the
// [alias] in wrangler.toml). It uses the namespace only to add `.openapi()` to ZodType's
// prototype (we describe schemas with zod's own `.meta()`), but a namespace object cannot be
// tree-shaken: it would keep all of zod, every locale included (~360 KB), in the bundle.
import { ZodType } from "#zod";

export const z = { ZodType };
