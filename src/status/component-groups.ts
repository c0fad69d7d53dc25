// Component groups on the status page (pure): the page settings name a group on each
// deployment or probe; a group's members are shown together, under its name, where its
// first member is listed; components without a group stand alone in their place.

export interface ComponentRow<T> {
  /** The group's name, or null for a component shown on its own. */
  group: string | null;
  items: T[];
}

export function groupComponents<T extends { group: string | null }>(
  components: readonly T[],
): ComponentRow<T>[] {
  const rows: ComponentRow<T>[] = [];
  const byName = new Map<string, ComponentRow<T>>();
  for (const c of components) {
    const known = c.group === null ? undefined : byName.get(c.group);
    if (known) {
      known.items.push(c);
      continue;
    }
    const row = { group: c.group, items: [c] };
    if (c.group !== null) byName.set(c.group, row);
    rows.push(row);
  }
  return rows;
}
