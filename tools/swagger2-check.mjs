// Strict Swagger 2.0 check of docs/swagger.json, run by .ci/run:
//
//   node tools/swagger2-check.mjs docs/swagger.json
//
// swagger-parser validates the document against the Swagger 2.0 schema and its
// rules (what Dredd's parser and most 2.0 tools read); any finding fails.
import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node swagger2-check.mjs SWAGGER_JSON");
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(JSON.parse(readFileSync(file, "utf8")));
  if (api.swagger !== "2.0") throw new Error(`not Swagger 2.0 but ${api.swagger || api.openapi}`);
  console.log(`swagger-parser: ${file} is valid Swagger 2.0 (${Object.keys(api.paths).length} paths)`);
} catch (err) {
  const lines = String(err.message).split("\n");
  console.error(`swagger-parser: ${file} is NOT valid Swagger 2.0 (${lines.length} lines):`);
  console.error(lines.slice(0, 40).join("\n"));
  process.exitCode = 1;
}
