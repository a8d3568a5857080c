-- Shared by our wrk scripts: the harness's common.lua (per-thread seed, templating,
-- urlencode; WRK_LUA_DIR points at ../shared/bench/wrk) plus what our API needs:
-- our status codes and opaque keyset cursors at random positions.
package.path = (os.getenv("WRK_LUA_DIR") or "./wrk") .. "/?.lua;" .. package.path
require "common"

-- Five statuses, uniform, as the harness's five (ours has eight; these five hold
-- about 80 % of the generated projects).
STATUSES = { "in_progress", "operational", "planned", "completed", "cancelled" }

-- First words of the generated titles, as sort keys (textsearch.SortKey).
TITLE_KEYS = { "abfallkalender", "archivportal", "backup", "bauantrag", "behordennetz",
  "beschaffungsplattform", "burgerservice", "burgertelefon", "client", "cloud", "datenschutzberatung",
  "dokumentenmanagement", "druckerflotte", "e", "einwohnermeldewesen", "elternportal", "energiemonitoring",
  "fachverfahren", "finanzwesen", "formularserver", "friedhofsverwaltung", "geoinformationssystem",
  "gewerbeanmeldung", "glasfaserausbau", "hundesteuer", "informationssicherheit", "it", "katasterdaten",
  "kfz", "kita", "langzeitarchivierung", "lizenzmanagement", "mobiles", "netzwerkmodernisierung",
  "notfallhandbuch", "onlinezugangsgesetz", "open", "parkraumbewirtschaftung", "personalsoftware",
  "ratsinformationssystem", "rechenzentren", "rechenzentrumsbetrieb", "schul", "schulverwaltung", "service",
  "servicekonto", "sicherheitsaudit", "sitzungsdienst", "softwareverteilung", "standesamt",
  "strassenbeleuchtung", "tablet", "telefonanlage", "vermessung", "videokonferenzen", "virtulle", "webportal",
  "wohngeldverfahren", "zeiterfassung" }

local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- base64url without padding, as Go's base64.RawURLEncoding
function b64url(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local k = (c and 4) or (b and 3) or 2
    for j = 1, k do
      local v = math.floor(n / 2 ^ (18 - 6 * (j - 1))) % 64
      out[#out + 1] = b64:sub(v + 1, v + 1)
    end
  end
  return table.concat(out)
end

-- A cursor of the default sort (title, then id) at a random position: a title key
-- and two letters, so that pages start all over the (status, title) index, as the
-- harness's random "after" ids do.
function random_cursor()
  local k = TITLE_KEYS[math.random(1, #TITLE_KEYS)] .. " " ..
    string.char(96 + math.random(1, 26)) .. string.char(96 + math.random(1, 26))
  return b64url('{"s":"title","v":["' .. k .. '"],"id":"00000000-0000-0000-0000-000000000000"}')
end
