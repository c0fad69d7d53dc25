// The OpenAPI document validator, run in Node by vitest's globalSetup: the maintained
// validator (@seriousme/openapi-schema-validator, ajv underneath) reads its schemas from disk
// and compiles code at run time, neither of which workerd allows. Tests POST the document to
// `${inject("openapiValidatorUrl")}` and get back {valid, version, errors?}.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(body));
      const answer = { valid: result.valid, version: validator.version, errors: result.errors };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("openapiValidatorUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
