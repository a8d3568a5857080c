-- Shared by the writers that write their own project (transition.lua, patch.lua): run with as many
-- threads as connections (wrk -tN -cN), so that thread tid is one writer and writes OWN[tid] (OWN: a
-- comma-separated list of project slugs, one a writer).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local token = os.getenv("TOKEN") or ""
OWN = {}
for s in (os.getenv("OWN") or ""):gmatch("[^,]+") do OWN[#OWN + 1] = s end
function own() return OWN[(tid - 1) % #OWN + 1] end
function writer_headers(ctype) return { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = ctype } end
