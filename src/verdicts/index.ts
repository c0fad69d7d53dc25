// Release verdicts: pure statistics (nothing of ours imported). See docs/verdicts.md.
export * from "./analysis";
export * from "./mixture-sequence";
export * from "./signals";
export * from "./stratified-difference";
