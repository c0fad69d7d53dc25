// The house plan, checked: which folder of src/ may import which (`npm run lint`).
// Layers, bottom to top; a folder imports its own files and lower layers only:
//   0  drift/, verdicts/ (pure statistics), sdk/ (the client), import nothing of ours
//      zod-api.ts, zod-for-hono-openapi.ts                     (zod's entry points)
//   1  shared/, net/, db/, zod.ts, fault-points.ts             the foundation
//   2  privacy/
//   3  ingest/                                                 event schemas, normalising
//   4  archive/, audit/, projects/, spend/, window/            R2 layout, audit rows, settings, budgets, buckets and sketches
//   5  monitor/                                                the Durable Object and its stores
//   6  queue/                                                  queue messages, routing to monitors
//   7  alerts/, deletion/, retention/                          the domain operations
//   8  probes/
//   9  http/                                                   the HTTP kernel: errors, auth, OpenAPI router
//  10  api/, status/                                           HTTP routers, never each other
//  11  entrances/, app.ts                                      queue consumers and cron; the HTTP app
//  12  index.ts                                                the Worker's entry
// db/ may name a type from above for a JSON column (erased at runtime, see the db rules).
// Type-only imports count: a type is a dependency of the design too.

/** Path patterns of each layer, bottom first. */
const LAYERS = [
  [
    "^src/drift/",
    "^src/verdicts/",
    "^src/sdk/",
    "^src/zod-api\\.ts$",
    "^src/zod-for-hono-openapi\\.ts$",
  ],
  ["^src/shared/", "^src/net/", "^src/db/", "^src/zod\\.ts$", "^src/fault-points\\.ts$"],
  ["^src/privacy/"],
  ["^src/ingest/"],
  ["^src/archive/", "^src/audit/", "^src/projects/", "^src/spend/", "^src/window/"],
  ["^src/monitor/"],
  ["^src/queue/"],
  ["^src/alerts/", "^src/deletion/", "^src/retention/"],
  ["^src/probes/"],
  ["^src/http/"],
  ["^src/api/", "^src/status/"],
  ["^src/entrances/", "^src/app\\.ts$"],
  ["^src/index\\.ts$"],
];

/** Files above db/ whose types a JSON column names: allowed as type-only imports. */
const DB_COLUMN_TYPES = { "^src/db/": ["^src/projects/status-page-settings\\.ts$"] };

/** One rule per layer: nothing of it imports its own layer's siblings or any layer above. */
const layerRules = LAYERS.slice(0, -1).flatMap((layer, i) => {
  const above = LAYERS.slice(i).flat();
  return layer.map((from) => ({
    name: `layer-${i}`,
    comment: `${from} imports only its own folder and layers below ${i} (see the top of this file).`,
    severity: "error",
    from: { path: from },
    to: { path: above.filter((to) => to !== from), pathNot: DB_COLUMN_TYPES[from] },
  }));
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No file reaches itself through its imports.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "drift-imports-nothing-of-ours",
      comment: "drift/ is pure statistics: plain numbers in, plain numbers out.",
      severity: "error",
      from: { path: "^src/drift/" },
      to: { path: "^src/", pathNot: "^src/drift/" },
    },
    {
      name: "no-domain-imports-http",
      comment: "Domain folders never import the HTTP routers (api/, status/).",
      severity: "error",
      // The cron tick announces status page events to subscribers (status/subscriptions/).
      from: {
        path: "^src/",
        pathNot: "^src/(api|status)/|^src/(index|app)\\.ts$|^src/entrances/tick\\.ts$",
      },
      to: { path: "^src/(api|status)/" },
    },
    {
      name: "db-takes-only-types-from-above",
      comment: "db/ names a JSON column's type from above (DB_COLUMN_TYPES) and nothing else.",
      severity: "error",
      from: { path: "^src/db/" },
      to: { path: DB_COLUMN_TYPES["^src/db/"], dependencyTypesNot: ["type-only"] },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
