// Type check of the TypeScript types that openapi-typescript generates from
// api/openapi.json (.ci/run copies this file next to the generated ikz-api.ts): the
// names portals in TypeScript rely on exist and have the shapes of the contract.
import type { components, paths, operations } from "./ikz-api";
type Project = components["schemas"]["Project"];
const p: Pick<Project, "slug" | "status"> = { slug: "it-hotline", status: "operational" };
type ListProjects = paths["/api/v1/projects"]["get"]["responses"][200]["content"]["application/json"];
const n: ListProjects["total"] = 6;
type Problem = operations["createProject"]["responses"][422]["content"]["application/problem+json"];
const e: Problem["errors"] = [{ field: "ags", code: "pattern", message: "…" }];
export { p, n, e };
