export * from "./alerts";
export * from "./deployments";
export * from "./events";
export * from "./projects";
