// Changing a project's settings (name, public status page, PII tag switch, example events, time zone,
// verdict margins, price overrides). PATCH /v1/projects/:id and the dashboard's status page
// settings both call this, so the two cannot disagree. The change and its audit entry are
// one D1 batch. A status page slug another project uses is a conflict naming the field.
import { and, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert } from "../audit/audit-entry";
import { projectsTable } from "../db/schema";
import { forgetProjectPrivacy } from "../privacy/project-privacy";
import type { StatusPageSettings } from "../projects/status-page-settings";
import { OperationError } from "../shared/operation-error";
import { forgetProjectKeys } from "./keys";
import { type ProjectRow, toProject } from "./project-schema";

/** Who acts on which project. */
export interface ProjectActor {
  db: D1Database;
  who: Actor;
  projectId: string;
}

/** A checked PATCH body (PatchProjectSchema's output). */
export interface ProjectPatch {
  name?: string | undefined;
  status_page?: StatusPageSettings | null | undefined;
  drop_pii_tags?: boolean | undefined;
  keep_examples?: boolean | undefined;
  time_zone?: string | undefined;
  verdict_margins?: Record<string, number> | null | undefined;
  price_overrides?: ProjectRow["priceOverrides"] | undefined;
}

/** The status page slug is used by another project (a 409 naming `status_page.slug`). */
export class SlugTakenError extends OperationError {
  constructor(readonly slug: string) {
    super("conflict", `Status page slug '${slug}' is taken`);
  }
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Error &&
  /UNIQUE constraint failed/.test(`${error.message} ${error.cause ?? ""}`);

export async function findProject(db: D1Database, id: string): Promise<ProjectRow> {
  const [row] = await drizzle(db).select().from(projectsTable).where(eq(projectsTable.id, id));
  if (!row) throw new OperationError("not_found", `Project '${id}' not found`);
  return row;
}

export async function updateProject(by: ProjectActor, body: ProjectPatch) {
  const id = by.projectId;
  const db = drizzle(by.db);
  const before = await findProject(by.db, id);
  const page = body.status_page;
  if (page) {
    const [other] = await db
      .select({ id: projectsTable.id })
      .from(projectsTable)
      .where(and(eq(projectsTable.statusSlug, page.slug), ne(projectsTable.id, id)));
    if (other) throw new SlugTakenError(page.slug);
  }
  const change: Partial<ProjectRow> = {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(page === undefined ? {} : { statusPage: page, statusSlug: page?.slug ?? null }),
    ...(body.drop_pii_tags === undefined ? {} : { dropPiiTags: body.drop_pii_tags }),
    ...(body.keep_examples === undefined ? {} : { keepExamples: body.keep_examples }),
    ...(body.time_zone === undefined ? {} : { timeZone: body.time_zone }),
    ...(body.verdict_margins === undefined ? {} : { verdictMargins: body.verdict_margins }),
    ...(body.price_overrides === undefined ? {} : { priceOverrides: body.price_overrides }),
  };
  const after = toProject({ ...before, ...change });
  try {
    await db.batch([
      db.update(projectsTable).set(change).where(eq(projectsTable.id, id)),
      auditInsert(by.db, by.who, {
        projectId: id,
        action: "project.update",
        target: id,
        before: toProject(before),
        after,
      }),
    ]);
  } catch (error) {
    // Two projects claiming one slug at the same moment: the unique index decides.
    if (page && isUniqueViolation(error)) throw new SlugTakenError(page.slug);
    throw error;
  }
  forgetProjectPrivacy(id);
  if (body.price_overrides !== undefined) forgetProjectKeys(id);
  return after;
}
