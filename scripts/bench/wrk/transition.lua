-- Transitions through the API, the counterpart of the harness's W2 (pgbench/write_transition.sql):
-- each writer (thread) moves its own project (own.lua) in_progress ⇄ suspended, as the token in
-- TOKEN. The projects start in in_progress; where each one stands after a wrk run is kept in the
-- file STATE (one target a line, by thread), so that warm-up and runs continue without a refusal.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "own.lua")
local state = os.getenv("STATE") or "/tmp/ikz-bench-transition.state"
local threads = {}
local base_setup = setup
function setup(thread)
  base_setup(thread)
  threads[#threads + 1] = thread
  local f, k = io.open(state, "r"), 0
  thread:set("to", "suspended")
  if f then
    for line in f:lines() do
      k = k + 1
      if k == #threads then thread:set("to", line) end
    end
    f:close()
  end
end
local headers
function request()
  headers = headers or writer_headers("application/json")
  return wrk.format("POST", "/api/v1/projects/" .. own() .. "/transitions", headers, '{"to":"' .. to .. '"}')
end
function response(status)
  -- the next move goes back; a refused one (409: the project already stands there) too
  if status == 200 or status == 409 then
    to = (to == "suspended") and "in_progress" or "suspended"
  end
end
function done()
  local f = io.open(state, "w")
  for _, t in ipairs(threads) do f:write(t:get("to"), "\n") end
  f:close()
end
