import { describe, expect, it } from "vitest";
import {
  archivedEvents,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../helpers";

const TAGS = {
  intent: "billing",
  email: "alice@example.com",
  card: "4111 1111 1111 1111",
  order: "4111111111111112", // 16 digits failing Luhn: an order number, kept
  client_ip: "203.0.113.7",
};

async function storedTags(projectId: string, id: string) {
  await waitFor(
    () => storedEventCount(projectId),
    (n) => n >= 1,
  );
  const event = (await archivedEvents(projectId)).find((e) => e.id === id);
  return event?.type === "interaction" ? event.tags : undefined;
}

describe("drop_pii_tags", () => {
  it("is off by default: tags are stored as sent and the answer has no count", async () => {
    const p = await createProject();
    const project = await call(`/v1/projects/${p.id}`, { key: p.admin });
    expect(
      ((await project.json()) as { project: { drop_pii_tags: boolean } }).project,
    ).toMatchObject({ drop_pii_tags: false });
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: { id: "t1", deployment: uniqueSlug(), tags: TAGS },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).not.toHaveProperty("pii_tags_dropped");
    expect(await storedTags(p.id, "t1")).toEqual(TAGS);
  });

  it("when on, drops matching values on /v1/events and counts them in the 202", async () => {
    const p = await createProject();
    const patch = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { drop_pii_tags: true },
    });
    expect(patch.status).toBe(200);
    expect(
      ((await patch.json()) as { project: { drop_pii_tags: boolean } }).project.drop_pii_tags,
    ).toBe(true);
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: [
        { id: "t1", deployment: uniqueSlug(), tags: TAGS },
        { id: "t2", deployment: uniqueSlug(), tags: { contact: "+44 20 7946 0958" } },
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 2, pii_tags_dropped: 4 });
    expect(await storedTags(p.id, "t1")).toEqual({ intent: "billing", order: "4111111111111112" });
  });

  it("when on, keeps personal data out of the archive via tag keys, ids and labels", async () => {
    const p = await createProject();
    await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { drop_pii_tags: true },
    });
    const deployment = uniqueSlug();
    const res = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: [
        {
          id: "alice@example.com",
          deployment,
          release: "carol@example.com",
          error_type: "+1.555.123.4567",
          prompt_version: "v7",
          tags: {
            "bob@example.com": "vip",
            card: "4111.1111.1111.1111",
            iban: "DE89-3704-0044-0532-0130-00",
            intent: "billing",
          },
        },
        { type: "feedback", ref: "alice@example.com", deployment, feedback: -1 },
      ],
    });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { ids: string[] };
    expect(answer).toMatchObject({ accepted: 2, pii_tags_dropped: 3, pii_fields_redacted: 4 });
    const [id] = answer.ids;
    expect(id).toMatch(/^pii-[0-9a-f]{32}$/);
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 2,
    );
    const archived = await archivedEvents(p.id);
    const text = JSON.stringify(archived);
    for (const personal of ["alice@", "bob@", "carol@", "555.123", "4111.1111", "DE89-3704"]) {
      expect(text).not.toContain(personal);
    }
    const interaction = archived.find((e) => e.type === "interaction");
    expect(interaction).toMatchObject({ id, prompt_version: "v7", tags: { intent: "billing" } });
    // The feedback still finds its interaction: the same stand-in replaced both.
    expect(archived.find((e) => e.type === "feedback")).toMatchObject({ ref: id });
  });

  it("answers the count on /v1/traces too", async () => {
    const p = await createProject();
    await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { drop_pii_tags: true },
    });
    const start = Date.now() - 60_000;
    const res = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: {
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: "service.name", value: { stringValue: uniqueSlug() } }],
            },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
                    spanId: "00f067aa0ba902b7",
                    name: "chat",
                    startTimeUnixNano: `${start}000000`,
                    endTimeUnixNano: `${start + 500}000000`,
                    attributes: [
                      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
                      { key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ pii_tags_dropped: 0 });
  });

  it("rejects a non-boolean switch naming the field", async () => {
    const p = await createProject();
    const res = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { drop_pii_tags: "yes" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("drop_pii_tags");
  });
});
