// The page's labels for the components that render it (hono/jsx context): the status page
// sets them once at its top, each component reads them, none takes them as a prop.
import { createContext, useContext } from "hono/jsx";
import { ENGLISH, type Labels } from "./labels";

export const LabelsContext = createContext<Labels>(ENGLISH);
export const useLabels = () => useContext(LabelsContext);
