// DeploymentMonitor: the Durable Object class the runtime instantiates, one per deployment
// (and one per deployment's probe runs). What it does lives in monitor-core.ts; this
// class only hands each call to it.
//
// Cold start: the Worker's entry exports this class, so its module is evaluated when an
// isolate starts, for every request the isolate serves. monitor-core.ts (ledger, buckets,
// sketches, the archive's gzip tables) is imported by the object's constructor instead,
// on the first call to an object, behind blockConcurrencyWhile (bench/startup.mjs).

import { DurableObject } from "cloudflare:workers";
import type { ExampleEvent, ExampleOutcome } from "../window/example-sample";
import type { ArmWindow } from "./arm-store";
import type {
  IngestRequest,
  IngestResult,
  IntakeRequest,
  LegacyDrainRequest,
} from "./ingest-request";
import type {
  ApplyRequest,
  EncodedWindow,
  MonitorCore,
  Resolution,
  WindowRequest,
  WindowSnapshot,
} from "./monitor-core";
import type { TopSpenders } from "./spend-store";

export type {
  ApplyRequest,
  EncodedWindow,
  Resolution,
  WindowRequest,
  WindowSnapshot,
} from "./monitor-core";

export class DeploymentMonitor extends DurableObject<Env> {
  private core: MonitorCore | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const { MonitorCore } = await import("./monitor-core");
      this.core = new MonitorCore(ctx, env);
    });
  }

  /** The implementation; set before any call runs (the constructor blocks until it is). */
  private get impl(): MonitorCore {
    if (!this.core) throw new Error("DeploymentMonitor used before its constructor finished");
    return this.core;
  }

  /** Deletes everything this object stores (monitor-core.ts). */
  async destroy(): Promise<void> {
    return this.impl.destroy();
  }

  /** Accepts a batch of the deployment's events exactly once. */
  async ingest(req: IngestRequest): Promise<IngestResult> {
    return this.impl.ingest(req);
  }

  /** A small request's events, committed with others before this returns (intake.ts). */
  async intake(req: IntakeRequest): Promise<void> {
    return this.impl.intakeDirect(req);
  }

  /** Counts legacy D1 events rows whose claims were still open (queue/legacy-drain.ts). */
  async drainLegacy(req: LegacyDrainRequest): Promise<IngestResult> {
    return this.impl.drainLegacy(req);
  }

  /** Merges a pre-aggregated batch (seeded history, legacy claims) at most once per token. */
  async apply(req: ApplyRequest): Promise<{ applied: boolean }> {
    return this.impl.apply(req);
  }

  /** Writes every accepted event still waiting to R2 now. */
  async flushArchive(): Promise<{ objects: number }> {
    return this.impl.flushArchive();
  }

  async stats(): ReturnType<MonitorCore["stats"]> {
    return this.impl.stats();
  }

  async snapshot(range: { from: number; to: number }): Promise<WindowSnapshot> {
    return this.impl.snapshot(range);
  }

  async windows(ranges: WindowRequest[]): Promise<EncodedWindow[]> {
    return this.impl.windows(ranges);
  }

  async segmentWindows(
    ranges: (WindowRequest & { resolution: Resolution })[],
    what: "counts" | "moments" = "counts",
  ): Promise<string[]> {
    return this.impl.segmentWindows(ranges, what);
  }

  async armWindows(range: { from: number; to: number }): Promise<ArmWindow[]> {
    return this.impl.armWindows(range);
  }

  async sequentialState(): Promise<string | null> {
    return this.impl.sequentialState();
  }

  async saveSequentialState(state: string): Promise<void> {
    return this.impl.saveSequentialState(state);
  }

  async storageBytes(): Promise<number> {
    return this.impl.storageBytes();
  }

  /** Heavy spenders of a dimension over [from, to): src/monitor/spend-store.ts. */
  async topSpenders(dimension: string, from: number, to: number): Promise<TopSpenders | null> {
    return this.impl.topSpenders(dimension, from, to);
  }

  /** Example events of an incident's outcome and segment (example-store.ts). */
  async exampleEvents(
    range: { from: number; to: number },
    outcome: ExampleOutcome,
    dimension: string,
    value: string,
  ): Promise<ExampleEvent[]> {
    return this.impl.exampleEvents(range, outcome, dimension, value);
  }

  override async alarm(): Promise<void> {
    return this.impl.alarm();
  }
}
