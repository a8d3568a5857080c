-- Get one project with its participants by slug p-N, N uniform in 1..PROJECTS (the
-- generator's slugs), as the harness's get.lua. GET_PATH placeholder {id}.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local template = os.getenv("GET_PATH") or "/api/v1/projects/p-{id}"
function request()
  return wrk.format("GET", fill(template, { id = math.random(1, PROJECTS) }))
end
