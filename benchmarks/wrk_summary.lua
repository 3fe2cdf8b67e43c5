-- wrk's summary as one JSON line (benchmarks/throughput.py reads it): requests, seconds, latency percentiles
-- in microseconds, and the errors (socket errors and responses with a status of 400 or more).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "socket_errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
