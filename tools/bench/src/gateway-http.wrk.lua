-- wrk script of gateway-http.bench.ts: cycles through pre-built raw HTTP requests and counts every
-- answer whose status is not 2xx (the bench fails on any).
--
-- Usage: wrk -t1 -c50 -d2s -s gateway-http.wrk.lua <url> <requests file>
-- The requests file holds records "<byte length>\n<raw HTTP/1.1 request>", written by the bench: for ALE
-- they are pre-sealed requests with distinct IVs (the generator does no crypto). Each wrk thread has its
-- own Lua state and cycles the whole list from its own offset.

local requests = {}
local count = 0
local index = 0
non2xx = 0

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  local pos = 1
  while pos <= #data do
    local newline = assert(data:find("\n", pos, true), "malformed requests file")
    local length = assert(tonumber(data:sub(pos, newline - 1)), "malformed record length")
    count = count + 1
    requests[count] = data:sub(newline + 1, newline + length)
    pos = newline + 1 + length
  end
  assert(count > 0, "no requests")
  -- `id` is set by setup(); threads start far apart in the list.
  index = ((id or 0) * 997) % count
end

function request()
  index = index % count + 1
  return requests[index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- One machine-readable line for the bench (wrk's own summary is printed above it).
function done(summary, latency, _)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
