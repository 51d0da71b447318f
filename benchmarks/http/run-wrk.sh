#!/usr/bin/env bash
# HTTP end-to-end: wrk against a Vert.x route returning "hi", bare and instrumented.
#
#   benchmarks/http/run-wrk.sh [ROUNDS] [MODE ...]      (defaults: 3 rounds; bare rxprom micrometer)
#
# For each round and mode (the order rotates each round): start
# io.rxprom.benchmarks.http.HttpServerMain MODE PORT on 127.0.0.1 (pinned to CPU 0 when taskset
# exists), warm it up with wrk for 5 s, then measure `wrk -t1 -c32 -d10s --latency` (pinned to
# CPU 1), check /metrics shows the route was recorded, and stop the server by its own pid.
# Prints the median and best requests/s and p99 per mode and their ratios to bare, and the server's CPU
# time per request (user + system ticks of the server process during the measured run, divided by
# the requests served): on a machine shared with other work, throughput and p99 move with the
# neighbours' load, CPU per request much less. Loopback only; about 20 s per mode and round. Needs benchmarks/target/benchmarks.jar (mvn -pl benchmarks -am package).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/benchmarks.jar"
rounds="${1:-3}"
shift || true
modes=("$@")
[[ ${#modes[@]} -gt 0 ]] || modes=(bare rxprom micrometer)
duration="${DURATION:-10s}"
warmup="${WARMUP:-5s}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[[ -f "$jar" ]] || { echo "missing $jar: mvn -B -q -pl benchmarks -am package -DskipTests" >&2; exit 1; }

pin_server=(); pin_client=()
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then
  pin_server=(taskset -c 0); pin_client=(taskset -c 1)
fi

out="$(mktemp -d)"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$out"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cpu_ticks() { # user + system clock ticks of a process, from /proc/PID/stat (fields after the name)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

to_ms() { # "1.23ms" | "812.00us" | "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
    else print v }'
}

run_one() { # mode round
  local mode="$1" round="$2" port log
  port="$(free_port)"
  log="$out/server-$mode-$round.log"
  "${pin_server[@]}" java -Xms256m -Xmx512m -cp "$jar" io.rxprom.benchmarks.http.HttpServerMain \
    "$mode" "$port" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    grep -q '^listening' "$log" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "server $mode failed:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  grep -q '^listening' "$log" || { echo "server $mode did not start in 30 s" >&2; stop_server; return 1; }
  local url="http://127.0.0.1:$port/hi"
  [[ "$(curl -s "$url")" == hi ]] || { echo "$mode: GET /hi did not answer hi" >&2; stop_server; return 1; }
  "${pin_client[@]}" wrk -t1 -c32 -d"$warmup" "$url" >/dev/null
  local cpu_before cpu_after
  cpu_before="$(cpu_ticks "$server_pid")"
  "${pin_client[@]}" wrk -t1 -c32 -d"$duration" --latency "$url" >"$out/wrk-$mode-$round.txt"
  cpu_after="$(cpu_ticks "$server_pid")"
  local rps p99 errors requests cpu_us
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out/wrk-$mode-$round.txt")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out/wrk-$mode-$round.txt")")"
  errors="$(grep -E 'Non-2xx|Socket errors' "$out/wrk-$mode-$round.txt" || true)"
  requests="$(awk '/requests in/ {print $1}' "$out/wrk-$mode-$round.txt")"
  cpu_us="$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.2f", t * 1e6 / hz / n }')"
  if [[ "$mode" != bare ]]; then
    curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics-$mode-$round.txt"
    grep -q '/hi' "$out/metrics-$mode-$round.txt" \
      || { echo "$mode: /metrics does not mention the /hi route; instrumentation not active?" >&2; stop_server; return 1; }
  fi
  stop_server
  printf '%-10s round %s: %10.0f req/s   p99 %7.3f ms   server CPU %6.2f us/request %s\n' \
    "$mode" "$round" "$rps" "$p99" "$cpu_us" "$errors"
  echo "$mode $rps $p99 $cpu_us" >>"$out/results.txt"
}

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc), $(java -version 2>&1 | head -1)"
echo "wrk -t1 -c32 -d$duration --latency, warm-up $warmup, $rounds round(s), server pinned: ${pin_server[*]:-no}"
for r in $(seq "$rounds"); do
  n=${#modes[@]}
  for i in $(seq 0 $((n - 1))); do
    run_one "${modes[$(( (i + r - 1) % n ))]}" "$r"
  done
done

echo
# Median and best of the rounds: on a machine shared with other work the best round (highest
# requests/s, lowest p99, lowest CPU per request) is the least disturbed one.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best_max() { sort -g | tail -1; }
best_min() { sort -g | head -1; }
col() { awk -v m="$1" -v c="$2" '$1 == m {print $c}' "$out/results.txt"; }
echo "| mode | req/s median | req/s best | best / bare | p99 ms median | p99 ms best | best / bare | server CPU us/req median | best | best / bare |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
b_rps="$(col bare 2 | best_max)"; b_p99="$(col bare 3 | best_min)"; b_cpu="$(col bare 4 | best_min)"
for m in "${modes[@]}"; do
  awk -v m="$m" -v rm="$(col "$m" 2 | median)" -v rb="$(col "$m" 2 | best_max)" \
      -v pm="$(col "$m" 3 | median)" -v pb="$(col "$m" 3 | best_min)" \
      -v cm="$(col "$m" 4 | median)" -v cb="$(col "$m" 4 | best_min)" \
      -v br="${b_rps:-0}" -v bp="${b_p99:-0}" -v bc="${b_cpu:-0}" 'BEGIN {
    r = (br > 0) ? sprintf("%.3f", rb / br) : "-"
    p = (bp > 0) ? sprintf("%.2f", pb / bp) : "-"
    c = (bc > 0) ? sprintf("%.3f", cb / bc) : "-"
    printf "| %s | %.0f | %.0f | %s | %.3f | %.3f | %s | %.2f | %.2f | %s |\n", m, rm, rb, r, pm, pb, p, cm, cb, c }'
done
