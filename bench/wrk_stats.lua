-- wrk script for bench/server.py: rotates over the paths given after "--", counts status
-- codes and page-cache hits (X-Page-Cache), and prints machine-readable lines:
--   @wrk summary <requests> <µs> <bytes> <connect> <read> <write> <status> <timeout> <max µs>
--   @wrk status <code> <count>        @wrk cache <hit|miss|none> <count>
--   @wrk q <percent> <latency µs>     (1000 quantiles, merged across runs by bench/server.py)
-- Debian's wrk cannot index the latency histogram from Lua, hence the quantiles.

local requests_to_send = {}
local next_index = 0
local threads = {}
statuses = {}
cache = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do
    table.insert(requests_to_send, wrk.format("GET", path))
  end
  if #requests_to_send == 0 then
    table.insert(requests_to_send, wrk.format("GET", wrk.path))
  end
  -- Threads start at different places of the list, so a short run still covers all of it.
  next_index = math.floor((thread_number or 0) * 0.618 * #requests_to_send) % #requests_to_send
end

function request()
  next_index = next_index % #requests_to_send + 1
  return requests_to_send[next_index]
end

function response(status, headers, body)
  local code = tostring(status)
  statuses[code] = (statuses[code] or 0) + 1
  local state = "none"
  for name, value in pairs(headers) do
    if string.lower(name) == "x-page-cache" then
      state = value
    end
  end
  cache[state] = (cache[state] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("@wrk summary %d %d %d %d %d %d %d %d %d\n", summary.requests,
    summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    summary.requests > 0 and latency.max or 0))
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      io.write("@wrk status ", code, " ", count, "\n")
    end
    for state, count in pairs(thread:get("cache")) do
      io.write("@wrk cache ", state, " ", count, "\n")
    end
  end
  if summary.requests > 0 then
    for i = 1, 1000 do
      local percent = (i - 0.5) / 10
      io.write(string.format("@wrk q %.2f %d\n", percent, latency:percentile(percent)))
    end
  end
end
