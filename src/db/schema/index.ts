export * from "./alerts";
export * from "./archive";
export * from "./deletions";
export * from "./deployments";
export * from "./events";
export * from "./probes";
export * from "./projects";
export * from "./sessions";
