-- Print the figures the benchmark reads, in microseconds, on one line.
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("BENCH %d %d %d %d %d\n",
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration, errors))
end
