// Default rule titles read as people speak, never as raw metric keys (issue 22).
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";

const nameOf = (id: string) => DEFAULT_RULES.find((r) => r.id === id)?.name;

describe("default rule names", () => {
  it("name metrics in words, capitalised, with no underscores or units", () => {
    expect(nameOf("default:latency_ms:cusum")).toBe("Latency rose (sequential)");
    expect(nameOf("default:ttft_ms:cusum")).toBe("Time to first token rose (sequential)");
    expect(nameOf("default:output_chars")).toBe("Output length distribution shifted");
    expect(nameOf("default:output_chars:critical")).toBe(
      "Output length distribution shifted (large)",
    );
    expect(nameOf("default:retrieval_top_score:cusum")).toBe(
      "Retrieval top score fell (sequential)",
    );
    for (const rule of DEFAULT_RULES) {
      expect(rule.name, rule.id).not.toMatch(/_|\bms\b/);
      expect(rule.name.charAt(0), rule.id).toMatch(/[A-Z]/);
    }
  });
});
