-- Writers for the SQLite concurrency check: each request is a JSON merge patch of a
-- random project p-N (its title) as the token in TOKEN; a 412/409 is a lost race, a
-- 503 or 500 would be a locked database.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local token = os.getenv("TOKEN") or ""
local n = 0
function request()
  n = n + 1
  local body = '{"title":"Gemeinsames Vorhaben ' .. n .. '"}'
  return wrk.format("PATCH", "/api/v1/projects/p-" .. math.random(1, PROJECTS),
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/merge-patch+json" }, body)
end
