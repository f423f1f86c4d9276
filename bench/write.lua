-- wrk script: POST /write with BATCH points per request, every point unique (connection id, counter, timestamp).
-- env: BATCH (points per request, default 100), DB (default bench), MEASUREMENT (default load)
local batch = tonumber(os.getenv("BATCH") or "100")
local db = os.getenv("DB") or "bench"
local measurement = os.getenv("MEASUREMENT") or "load"
local counter = 0
local id = 0

function setup(thread)
  id = id + 1
  thread:set("tid", id)
end

function init(args)
  tid = tid or 0
  math.randomseed(tid * 7919 + os.time())
  base = math.random(1, 100000) * 1e9 + tid * 1e12
end

function request()
  counter = counter + 1
  local lines = {}
  for i = 1, batch do
    lines[i] = string.format("%s,writer=w%d,host=server%02d v=%d,load=0.%d %.0f",
      measurement, tid, i % 20, counter, i, base + counter * batch + i)
  end
  return wrk.format("POST", "/write?db=" .. db, {["Content-Type"] = "text/plain"}, table.concat(lines, "\n"))
end

function response(status, headers, body)
  if status ~= 204 and not reported then
    io.stderr:write("answer " .. status .. ": " .. body .. "\n")
    reported = true
  end
end
