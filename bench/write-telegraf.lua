-- wrk script: POST /write with Telegraf-like batches: BATCH points per request (default 1000) spread
-- round-robin over 50 measurements named after Telegraf inputs (cpu, mem, disk, ... internal_write),
-- so each request carries BATCH/50 points of each; tags host (20 hosts) and region (4), four fields
-- (three floats, one integer). Every point is unique: a per-thread timestamp base, the request counter
-- and the line's index give each line its own timestamp.
-- env: BATCH (points per request, default 1000), DB (default bench)
local batch = tonumber(os.getenv("BATCH") or "1000")
local db = os.getenv("DB") or "bench"
local measurements = {
  "cpu", "mem", "disk", "diskio", "net", "netstat", "processes", "system", "swap", "kernel",
  "kernel_vmstat", "interrupts", "linux_sysctl_fs", "nstat", "conntrack", "docker",
  "docker_container_cpu", "docker_container_mem", "docker_container_net", "docker_container_blkio",
  "nginx", "postgresql", "mysql", "redis", "mongodb", "elasticsearch", "kafka_consumer", "rabbitmq",
  "haproxy", "apache", "memcached", "zookeeper", "jolokia2_agent", "java_memory", "java_gc",
  "java_threads", "http_response", "ping", "dns_query", "net_response", "procstat", "systemd_units",
  "smart", "sensors", "temp", "ntpq", "chrony", "internal_agent", "internal_gather", "internal_write",
}
local regions = {"eu-west", "eu-central", "us-east", "ap-south"}
local nm = #measurements
local interleaved = (os.getenv("ORDER") or "grouped") == "interleaved"
local per = math.max(1, math.floor(batch / nm))
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
    local h = i % 20
    local m = interleaved and (i - 1) % nm + 1 or math.floor((i - 1) / per) % nm + 1
    lines[i] = string.format("%s,host=host%02d,region=%s value=%d.%d,usage=%d.%02d,rate=0.%d,count=%di %.0f",
      measurements[m], h, regions[h % 4 + 1], counter % 1000, i, i % 100, counter % 100,
      i, counter, base + counter * batch + i)
  end
  return wrk.format("POST", "/write?db=" .. db, {["Content-Type"] = "text/plain"}, table.concat(lines, "\n"))
end

function response(status, headers, body)
  if status ~= 204 and not reported then
    io.stderr:write("answer " .. status .. ": " .. body .. "\n")
    reported = true
  end
end
