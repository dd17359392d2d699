-- wrk script for Benchmarks/server-bench.sh: posts Vigil/Falco JSON alerts to vigil server.
--   MODE=single  one alert per request with a unique X-Vigil-Alert-ID (what vigil watch sends)
--   MODE=batch   BATCH alerts per request as NDJSON
--   MODE=falco   one alert per request to / without an id (Falco's http_output)
local mode = os.getenv("MODE") or "single"
local token = os.getenv("TOKEN")
local batch = tonumber(os.getenv("BATCH") or "100")
local threads = 0

local function alert(i)
  return string.format('{"output":"16:34:15.123456789: Notice A shell was spawned in a container (user=root shell=sh container=c%d)","priority":"Notice","rule":"Terminal shell in container","time":"2026-12-06T16:34:%02d.%09dZ","output_fields":{"container.id":"c%04d","container.image.repository":"docker.io/library/alpine","container.image.tag":"3.19","proc.name":"sh","user.name":"root","evt.time":1796574855123456789},"hostname":"bench-node","tags":["container","shell","mitre_execution"],"source":"syscall"}', i % 50, i % 60, i, i % 50)
end

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  counter = 0
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if mode == "batch" then
    local lines = {}
    for i = 1, batch do lines[i] = alert(i) end
    body = table.concat(lines, "\n") .. "\n"
    path = "/api/v1/alerts"
  elseif mode == "falco" then
    body = alert(tid)
    path = "/"
  else
    body = alert(tid)
    path = "/api/v1/alerts"
  end
end

function request()
  counter = counter + 1
  if mode == "single" then
    headers["X-Vigil-Alert-ID"] = tid .. "-" .. counter
  end
  return wrk.format("POST", path, headers, body)
end
