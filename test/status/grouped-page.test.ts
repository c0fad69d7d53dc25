// Component groups on the public status page: deployments and probes that the page
// settings put in one group are shown together under its name; a too-long name is refused.
import { describe, expect, it } from "vitest";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours } from "./seed";

const NOW = Date.now();

async function patchPage(projectId: string, admin: string, statusPage: unknown) {
  return call(`/v1/projects/${projectId}`, {
    method: "PATCH",
    key: admin,
    json: { status_page: statusPage },
  });
}

describe("component groups on the status page", () => {
  it("shows a group's deployments and probes together under its name", async () => {
    const p = await createProject("grouped-page");
    const slug = uniqueSlug("acme");
    const [bot, search, docs] = [uniqueSlug("bot"), uniqueSlug("search"), uniqueSlug("docs")];
    for (const s of [bot, search, docs])
      await seedHours(await seedDeployment(p.id, s, NOW), NOW, 2);
    const res = await patchPage(p.id, p.admin, {
      slug,
      title: "Acme",
      deployments: [
        { slug: bot, name: "Bot", group: "Assistants" },
        { slug: search, name: "Search" },
        { slug: docs, name: "Docs bot", group: "Assistants" },
      ],
      probes: [{ id: uniqueSlug("prb"), name: "Known questions", group: "Assistants" }],
    });
    expect(res.status).toBe(200);
    const html = await (await call(`/status/${slug}`)).text();
    const group = html.match(
      /<li class="grp"><h3>Assistants<\/h3><ul class="stack">(.*?)<\/ul><\/li>/,
    );
    expect(group).not.toBeNull();
    const inside = [...(group?.[1] ?? "").matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
    expect(inside).toEqual(["Bot", "Docs bot", "Known questions"]);
    // The ungrouped deployment follows the group, in its own card outside it.
    expect(html.indexOf("<h3>Search</h3>")).toBeGreaterThan(html.indexOf("Known questions"));
  });

  it("refuses a group name longer than 60 characters", async () => {
    const p = await createProject("grouped-page-long");
    const res = await patchPage(p.id, p.admin, {
      slug: uniqueSlug("acme"),
      title: "Acme",
      deployments: [{ slug: "bot", name: "Bot", group: "x".repeat(61) }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("group");
  });
});
