// Placeholder replaced below.
import { DurableObject } from "cloudflare:workers";

export class DeploymentMonitor extends DurableObject<Env> {
  async ping(): Promise<string> {
    return "pong";
  }
}
