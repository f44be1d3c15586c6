-- wrk: GET /v3/identity with a serial number no other request of the run uses
-- (thread number + run start + a per-thread counter).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = "BENCH-" .. os.time() .. "-" .. tid .. "-"
  counter = 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", "/v3/identity?serialNumber=" .. prefix .. counter .. "&ip=127.0.0.1&port=7777")
end
