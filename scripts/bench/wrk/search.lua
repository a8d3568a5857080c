-- Search projects with the harness's 10-term mix (selective to broad). SEARCH_PATH
-- placeholder {q} (URL-encoded).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local template = os.getenv("SEARCH_PATH") or "/api/v1/search?q={q}&types=project&limit=20"
local terms = { "Königsmarienhofen", "Rosenfeld", "Hohenlindau", "Friedhof", "Rechenzentrum", "Cloud",
                "elektronische Akte", "Bürgerkonto", "Kita", "Datenschutz" }
function request()
  return wrk.format("GET", fill(template, { q = urlencode(terms[math.random(1, #terms)]) }))
end
