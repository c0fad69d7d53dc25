// The D1 upserts after the objects accepted a batch live beside the object, which writes
// them too for its direct intake: src/monitor/markers.ts.
export { recordStatements } from "../monitor/markers";
