-- Creates through the API, the counterpart of the harness's W1 (pgbench/write_create_project.sql):
-- POST /api/v1/projects with three participants (consecutive slugs of PARTNERS, a comma-separated
-- list), a cooperation k-1 … k-COOPERATIONS, tags, a start and a budget, as the token in TOKEN.
-- Slugs are unique per wrk run, thread and request; the numbers in slug and title are one word
-- each and differ between writers (as W1's random title number), so that writers do not add the
-- same new word to the search vocabulary at once.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local token = os.getenv("TOKEN") or ""
local coops = tonumber(os.getenv("COOPERATIONS") or "5000")
local partners = {}
for s in (os.getenv("PARTNERS") or ""):gmatch("[^,]+") do partners[#partners + 1] = s end
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local run = os.time()
local n = 0
function request()
  n = n + 1
  local i = math.random(1, #partners - 2)
  local body = string.format('{"slug":"bw-%d%02d%07d","title":"Gemeinsame E-Akte %d","cooperation":"k-%d",' ..
    '"category":"software","started_on":"2024-03","tags":["e-akte","ozg"],' ..
    '"description":"Die beteiligten Kommunen führen gemeinsam eine elektronische Akte ein. Der kommunale ' ..
    'IT-Dienstleister betreibt die Lösung im eigenen Rechenzentrum, die Partner teilen sich Betrieb, Schulung und Support.",' ..
    '"finance":{"budget_planned":"125000.00"},"participants":[{"partner":"%s","role":"lead"},' ..
    '{"partner":"%s","role":"consumer"},{"partner":"%s","role":"provider"}]}',
    run, tid, n, math.random(1, 1000000000), math.random(1, coops), partners[i], partners[i + 1], partners[i + 2])
  return wrk.format("POST", "/api/v1/projects", headers, body)
end
