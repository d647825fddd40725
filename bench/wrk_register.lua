-- wrk script for bench/intake_registration.py: POST a volunteer registration whose phone number, name and
-- Idempotency-Key are unique to each request, count the 201s, and print the figures as one JSON line.
counter = 0
thread_id = 0
accepted = 0
local threads = {}
local path = "/"

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  path = args[1]
end

function request()
  counter = counter + 1
  local n = thread_id * 10000000 + counter
  local body = string.format(
    '{"name": "Bench Volunteer %d", "phone": "+1 2%09d", "zip": "77002", "skills": ["muck_out", "debris_removal"], '
    .. '"languages": ["en"], "consents": {"share_with_clearinghouses": true}}', n, n)
  -- Headers given here replace wrk's own (-H), so carry those over too (the API token).
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = "bench-" .. n
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then accepted = accepted + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("accepted") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "accepted": %d, "duration_us": %d, "mean_us": %.1f, "p50_us": %d, "p99_us": %d, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, total, summary.duration, latency.mean, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
