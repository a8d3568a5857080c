-- List page of 50 projects with participants by status, at a random keyset position:
-- the request mix of the harness's list.lua (pgbench/list_page_participants_2q.sql)
-- in our API's shape. LIST_PATH placeholders: {status} {cursor}.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
local template = os.getenv("LIST_PATH") or "/api/v1/projects?status={status}&limit=50&cursor={cursor}"
function request()
  return wrk.format("GET", fill(template, { status = STATUSES[math.random(1, #STATUSES)], cursor = random_cursor() }))
end
