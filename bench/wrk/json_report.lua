-- wrk script: sends the request the environment describes and, at the end,
-- writes the run as one line of JSON, with the field names gatehouse_loader
-- uses (bench/loader/load_report.h), so bench/render_report.sh reads both.
--
--   WRK_JSON_OUT  file to write the JSON to (required)
--   WRK_METHOD    request method (default GET)
--   WRK_BODY      request body (default none), sent as application/json
--
-- Headers come from wrk's own -H flags. wrk counts an answer with a status
-- of 400 or more as an error ("status"); a 2xx or 3xx is a success.

local method = os.getenv("WRK_METHOD")
local body = os.getenv("WRK_BODY")
if method ~= nil and method ~= "" then
  wrk.method = method
end
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local path = os.getenv("WRK_JSON_OUT")
  local out = assert(io.open(path, "w"))
  local errors = summary.errors
  local transport = errors.connect + errors.read + errors.write + errors.timeout
  local seconds = summary.duration / 1e6
  out:write(string.format(
    '{"tool":"wrk","requests":%d,"duration_s":%.6f,"requests_per_s":%.3f,' ..
    '"errors":%d,"status_errors":%d,"transport_errors":{"connect":%d,' ..
    '"read":%d,"write":%d,"timeout":%d},"p50_ms":%.6f,"p99_ms":%.6f,' ..
    '"max_ms":%.6f}\n',
    summary.requests, seconds, summary.requests / seconds,
    errors.status + transport, errors.status, errors.connect, errors.read,
    errors.write, errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  out:close()
end
