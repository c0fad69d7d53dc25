// One dashboard session, one project (docs/operations.md, threat model): the root token
// cannot sign in; a session sees only its key's project, named in every page's header,
// and another project's deployments answer 404 on every dashboard page that names one.
import { describe, expect, it } from "vitest";
import { createDeployment } from "../deployment-fixture";
import { ADMIN, call, createProject } from "../helpers";
import { post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

describe("one dashboard session, one project", () => {
  it("refuses the root token at sign-in", async () => {
    const res = await post("/dashboard/sign-in", { key: ADMIN });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("names the session's project on the settings pages and hides another project's deployments", async () => {
    const mine = await createProject("Project Mine");
    const theirs = await createProject("Project Theirs");
    const other = await createDeployment(theirs.id);
    const cookie = await dashboardCookie(mine.admin);
    for (const path of ["/dashboard/settings/rules", "/dashboard/settings/status-page"]) {
      const html = await (await call(path, { headers: { cookie } })).text();
      expect(html).toContain("Project Mine");
      expect(html).not.toContain("Project Theirs");
    }
    for (const suffix of ["", "/breakdown", "/baselines", "/releases"]) {
      const res = await call(`/dashboard/d/production/${other.slug}${suffix}`, {
        headers: { cookie },
      });
      expect(res.status, suffix).toBe(404);
    }
  });
});
