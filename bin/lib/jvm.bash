# shellcheck shell=bash
# The JVM that runs the pep server and its options (bin/pep, bench/): sourced, sets PEP_JAVA and
# PEP_JVM_OPTS (an array). Which java: bin/lib/java.bash.

# shellcheck source=bin/lib/java.bash
source "$(dirname -- "${BASH_SOURCE[0]}")/java.bash"
pep_find_java

# Memory for a small PC: the heap capped at 192 MB (the store's caches and every operation fit,
# a full CSV drop of a million records included; -Xms stays small, else the whole heap is touched
# before the first GC), bounded metaspace and JIT code cache, the serial collector (least memory,
# short pauses at this heap size). Under sustained load the serial collector lets the old
# generation grow to the cap before its first full collection (requests in flight at a young
# collection are promoted), so RSS under load is the cap plus the JVM's own and native memory: the
# cap is what keeps it within the memory goal (bench/README.md; how it was chosen, and why not G1:
# bench/notes/history.md, "Memory under sustained load").
# ExitOnOutOfMemoryError: an OutOfMemoryError kills only the thread that meets it; the process would
# live on, answering 500 with live and ready still 200. Exiting hands pep to its supervisor (systemd's
# Restart=, Docker's and compose's restart policy: deploy/pep.service, docker-compose.yml), which
# starts it again on the same data folder.
# PEP_JAVA_OPTS, given after these, overrides any of them (e.g. PEP_JAVA_OPTS=-Xmx1g).
# Idle RSS with all of this on Java 25: bench/README.md; where it goes and what was tried:
# bench/notes/history.md, "Idle memory cut".
# One Netty buffer arena each for direct and heap buffers (Vert.x and the embedded store share
# them): the default is two per core, each holding a chunk of direct memory once touched
# (thread-local caches keep the lone arena uncontended at pep's rates).
# Both JIT compilers, as the JVM's default. The quick one only (-XX:TieredStopAtLevel=1) starts
# faster but makes pages of CSV and the full CSV drop several times slower
# (bench/notes/history.md, "Exec mode: the tool's process tree and the JIT"): not adopted.
# vertx.disableDnsResolver: Vert.x only serves HTTP here and never looks a name up, yet its own DNS
# resolver (Netty's, reading /etc/resolv.conf and /etc/hosts) was built at every start; the JDK's
# resolver instead.
PEP_JVM_OPTS=(-Xms24m -Xmx192m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC
  -XX:+ExitOnOutOfMemoryError
  -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1
  -Dvertx.disableDnsResolver=true)
if ((PEP_JAVA_FEATURE >= 25)); then
  # Netty 4.1 uses sun.misc.Unsafe's memory access, which Java 24+ warns about on every start.
  # TrimNativeHeapInterval: every 5 s the JVM hands glibc's free malloc memory back to the OS —
  # start-up's peak (the JIT compilers' arenas) is otherwise kept for good (bench/notes/history.md,
  # "Idle memory cut"; provisioning throughput unchanged).
  PEP_JVM_OPTS+=(-XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow -XX:TrimNativeHeapInterval=5000)
fi
# glibc's per-thread malloc arenas add tens of MB of RSS to a JVM with ~40 threads
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

# pep_aot_options JAR: on Java 25+, the options that use JAR's AOT cache (JAR.aot, beside it),
# training it first when it is missing or older than JAR: one start of pep on a free port with a
# throw-away data folder, stopped a second after it is up (camel.main.duration-max-seconds); the
# JVM writes the cache as it exits. PEP_AOT=off skips it. Prints one option per line.
pep_aot_options() {
  local jar=$1 aot=$1.aot work
  ((PEP_JAVA_FEATURE >= 25)) && [[ ${PEP_AOT:-on} != off ]] || return 0
  if [[ ! -f $aot || $jar -nt $aot ]]; then
    echo "Training the start-up cache $aot (once per build; about 10 s)…" >&2
    work=$(mktemp -d)
    # (pep's exit status after a duration-max stop is not 0: the written cache is what counts)
    mkdir -p "$work/routes"
    PEP_SERVER_PORT=0 PEP_DATA_DIR=$work/data PEP_ROUTES_DIR=$work/routes \
      "$PEP_JAVA" "${PEP_JVM_OPTS[@]}" -XX:AOTCacheOutput="$work/pep.aot" -Xlog:aot*=off -Xlog:cds*=off \
      -Dcamel.main.duration-max-seconds=1 -jar "$jar" >"$work/training.log" 2>&1 || true
    if grep -q '^AOTCache creation is complete' "$work/training.log" && [[ -s $work/pep.aot ]]; then
      mv -f "$work/pep.aot" "$aot"
    else
      echo "Start-up cache not trained (see $work/training.log); starting without it" >&2
      return 0
    fi
    rm -rf "$work"
  fi
  # -Xlog: a cache that no longer matches (other JVM, other flags) is ignored quietly
  printf '%s\n' -XX:AOTCache="$aot" -Xlog:aot*=off -Xlog:cds*=off
}

# pep_tool_cache_trained JAR: trains pep-inject's start-up cache (bin/lib/train-tool-cache) when it is
# missing or older than JAR; PEP_AOT=off skips it. A failed training only means slower tool runs.
pep_tool_cache_trained() {
  local lib
  [[ ${PEP_AOT:-on} != off ]] || return 0
  lib=$(dirname -- "${BASH_SOURCE[0]}")
  # shellcheck source=bin/lib/launcher.bash
  source "$lib/launcher.bash"
  pep_tool_cache pep-inject "$1"
  if [[ ! -f $PEP_TOOL_CACHE || $1 -nt $PEP_TOOL_CACHE ]]; then
    echo "Training pep-inject's start-up cache $PEP_TOOL_CACHE (once per build; a few seconds)…" >&2
    "$lib/train-tool-cache" "$1" || true
  fi
}
