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
// Nullable references and merge patches that clear: null is part of the types.
type Partner = components["schemas"]["Partner"];
const noParent: Partner["parent"] = null;
const withParent: Partner["parent"] = { id: "0b7c3c4e-8a4f-4d47-9a3e-2f1e5d6c7b8a", slug: "stadt-muenster", name: "Stadt Münster", href: "/api/v1/partners/stadt-muenster" };
const clear: components["schemas"]["PartnerPatch"] = { address: null, employees: { count: 160 } };
const from: components["schemas"]["StatusChange"]["from"] = null;
export { noParent, withParent, clear, from };
