// Adds to a Portman config (tools/portman-config.json) one overwrite per operation of
// an OpenAPI document that sends every query parameter with an example, set to that
// example: Portman leaves optional parameters out otherwise, and sending those without
// an example would send made-up values. Prints the config.
//
//   node tools/portman-examples.mjs tools/portman-config.json openapi.json > config.json
import { readFileSync } from "node:fs";

const [configFile, specFile] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, "utf8"));
const spec = JSON.parse(readFileSync(specFile, "utf8"));
config.overwrites ??= [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const params = (op.parameters ?? []).filter((p) => p.in === "query" && p.example !== undefined);
    if (params.length === 0) continue;
    config.overwrites.push({
      openApiOperation: `${method.toUpperCase()}::${path}`,
      overwriteRequestQueryParams: params.map((p) => ({
        key: p.name,
        value: Array.isArray(p.example) ? p.example.join(",") : String(p.example),
        overwrite: true,
        disable: false,
      })),
    });
  }
}
console.log(JSON.stringify(config, null, 2));
