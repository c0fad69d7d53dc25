// One change, one incident on the dashboard (pure): a deployment's incidents that one
// release change explains, or that opened within one window of each other, are listed
// together under one heading naming the change and its signals, as on the public page
// (src/status/incident-groups.ts).
import { sameChange } from "../../alerts/incidents/same-change";

export interface ChangeLike {
  startedAt: number;
  /** The release change that preceded the incident, if any. */
  change: { summary: string; at: number } | null;
}

export interface ChangeGroup<T extends ChangeLike> {
  /** "prompt v13 → v14", or null when no release changed. */
  change: string | null;
  incidents: T[];
}

/** Groups in the given order (the first incident of a group decides where it is listed). */
export function changeGroups<T extends ChangeLike>(incidents: readonly T[]): ChangeGroup<T>[] {
  const groups: { first: T; list: T[] }[] = [];
  for (const i of incidents) {
    const key = (x: T) => ({ startedAt: x.startedAt, changeAt: x.change?.at ?? null });
    const home = groups.find(({ first }) => sameChange(key(first), key(i)));
    if (home) home.list.push(i);
    else groups.push({ first: i, list: [i] });
  }
  return groups.map(({ first, list }) => ({
    change: first.change?.summary ?? null,
    incidents: list,
  }));
}
