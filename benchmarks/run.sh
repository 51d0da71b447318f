#!/usr/bin/env bash
# Runs the rxprom benchmark suite (JMH) and writes a markdown report with ratios.
#
#   benchmarks/run.sh [quick|standard|full] [ClassRegex ...]
#
#   quick     1 fork, 2 x 1 s warm-up,   2 x 0.5 s measurement   (all classes, the scrape at
#             1,000 series only: about 8 minutes; a smoke run, too short for claims)
#   standard  1 fork, 3 x 1 s warm-up,   5 x 1 s measurement     (the README's tables; ~20 min)
#   full      3 forks, 5 x 1 s warm-up, 10 x 1 s measurement     (about 1.5 hours)
#
# Every class runs with -prof gc. Classes that compare contention run at 1 and at 2 threads;
# ScrapeBenchmark (one scrape is one thread) and WritersVsScraperBenchmark (fixed thread groups)
# run once. Results go to benchmarks/results/<mode>-<time>/: the JMH logs, JSON, and report.md.
# Builds benchmarks/target/benchmarks.jar first unless SKIP_BUILD=1.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mode="${1:-quick}"
shift || true

scrape_opts=()
case "$mode" in
  quick)    opts=(-f 1 -wi 2 -w 1 -i 2 -r 500ms); scrape_opts=(-p series=1000) ;;
  standard) opts=(-f 1 -wi 3 -w 1 -i 5 -r 1) ;;
  full)     opts=(-f 3 -wi 5 -w 1 -i 10 -r 1) ;;
  *) echo "usage: $0 [quick|standard|full] [ClassRegex ...]" >&2; exit 2 ;;
esac

# Classes measured at 1 and 2 threads, and classes run once with their own thread settings.
threaded=(CounterBenchmark HistogramBenchmark SummaryBenchmark TimerBenchmark LabelsLookupBenchmark ReactorBenchmark)
single=(ScrapeBenchmark WritersVsScraperBenchmark)

if [[ $# -gt 0 ]]; then
  filter="$(IFS='|'; echo "$*")"
  keep() { local out=(); for c in "$@"; do [[ "$c" =~ $filter ]] && out+=("$c"); done; echo "${out[@]:-}"; }
  read -r -a threaded <<<"$(keep "${threaded[@]}")"
  read -r -a single <<<"$(keep "${single[@]}")"
fi

jar="$here/target/benchmarks.jar"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi

# Only classes present in the jar (phase-2 classes may not exist yet).
available="$(java -jar "$jar" -l)"
present() { grep -q "\.$1\." <<<"$available"; }

out="$here/results/$mode-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
  echo "date: $(date -Is)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
  echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "mode: $mode (${opts[*]})"
} > "$out/machine.txt"
cat "$out/machine.txt"

run() { # name, jmh args...
  local name="$1"; shift
  echo "== $name"
  java -jar "$jar" "$@" "${opts[@]}" -prof gc -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 \
    || { echo "FAILED: $name (see $out/$name.log)"; tail -20 "$out/$name.log"; return 1; }
  grep -E '^[A-Za-z]+Benchmark\.[A-Za-z0-9_:.]+ ' "$out/$name.log" | grep -v 'gc\.' || true
}

status=0
for c in "${threaded[@]}"; do
  [[ -n "$c" ]] && present "$c" || continue
  for t in 1 2; do run "$c-t$t" "\.$c\." -t "$t" || status=1; done
done
for c in "${single[@]}"; do
  [[ -n "$c" ]] && present "$c" || continue
  if [[ "$c" == ScrapeBenchmark ]]; then
    run "$c" "\.$c\." "${scrape_opts[@]}" || status=1
  else
    run "$c" "\.$c\." || status=1
  fi
done

python3 "$here/report.py" "$out" > "$out/report.md"
echo "report: $out/report.md"
exit $status
