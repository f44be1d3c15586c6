-- wrk: GET /v3/enrollment-id of a random loaded record (bench/load-records' serials SN-1 … SN-N).
-- Arguments (after `--`): N, and the serial to ask for when N is 0 (a record provisioned first).
function init(args)
  records = tonumber(args[1]) or 0
  serial = args[2] or "SN-1"
  math.randomseed(os.time() + (records % 7919))
end
function request()
  local s = serial
  if records > 0 then s = "SN-" .. math.random(1, records) end
  return wrk.format("GET", "/v3/enrollment-id?serialNumber=" .. s)
end
