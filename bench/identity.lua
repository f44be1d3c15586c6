-- wrk: GET /v3/identity with a serial number no other request of the run uses
-- (thread number + run start + a per-thread counter). The gateway's FCC port: wrk's first script
-- argument (`wrk ... -s bench/identity.lua URL -- 41234`), default 7777 (a stub tool ignores it).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = "BENCH-" .. os.time() .. "-" .. tid .. "-"
  counter = 0
  port = args[1] or "7777"
end
function request()
  counter = counter + 1
  return wrk.format("GET", "/v3/identity?serialNumber=" .. prefix .. counter .. "&ip=127.0.0.1&port=" .. port)
end
