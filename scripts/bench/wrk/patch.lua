-- Patches through the API: each writer (thread) changes the title of its own project (own.lua) by
-- JSON merge patch, as the token in TOKEN (the search document is rewritten: the title is searched;
-- its number is random, as in create.lua, so that writers rarely add the same new word).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "own.lua")
local headers
function request()
  headers = headers or writer_headers("application/merge-patch+json")
  return wrk.format("PATCH", "/api/v1/projects/" .. own(), headers, '{"title":"Gemeinsames Vorhaben ' .. math.random(1, 1000000000) .. '"}')
end
