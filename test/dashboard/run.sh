#!/usr/bin/env bash
# End-to-end test of pep's dashboard in Debian's headless Chromium.
# Starts, all on loopback: a stoppable store (StoreServer.java), two FCC simulators (one answering
# ReturnStatus 13), pep (in-process injector, admin tokens on); then test.mjs drives the page.
# Needs target/pep.jar (mvn -B -ntp -DskipTests package), /usr/bin/chromium (apt-get install -y
# chromium), node + npm. Prints one summary line "N passed, M failed"; exits non-zero on a failure.
# Bounded: the whole run is killed after PEP_DASHBOARD_TEST_TIMEOUT seconds (default 900: a busy CI machine is slow, a hang still ends).
# Screenshots go to target/dashboard/; --update-docs also copies the 1920x1080 one to docs/dashboard.png.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
jar=${PEP_JAR:-$repo/target/pep.jar}
out=$repo/target/dashboard
limit=${PEP_DASHBOARD_TEST_TIMEOUT:-900}
export UPDATE_DOCS_SCREENSHOT=0
[[ ${1:-} == --update-docs ]] && UPDATE_DOCS_SCREENSHOT=1

fail() { echo "dashboard test: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
[[ -f $jar ]] || fail "no $jar (build it: mvn -B -ntp -DskipTests package)"
[[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium (apt-get install -y chromium)"
command -v node >/dev/null || fail "no node"
if [[ ! -d $here/node_modules/playwright-core || ! -d $here/node_modules/axe-core ]]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null) || fail "npm ci failed"
fi

work=$(mktemp -d /tmp/pep-dashboard-test.XXXXXX)
mkdir -p "$out"
pids=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local pid cwd
  for pid in "${pids[@]}" $(cat "$work"/*.pid 2>/dev/null); do
    kill "$pid" 2>/dev/null || true
  done
  # and whatever test.mjs (re)started that a pid file may have missed: pep runs in $work, the store
  # names $work in its arguments (a run once left both behind)
  for pid in $(pgrep -f -- "$jar" || true); do
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)
    if [[ $cwd == "$work"* ]] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$work"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port that binds now, drawn below the kernel's ephemeral range (32768 up), where
# an outgoing connection could take it before the server binds it.
free_port() {
  node -e '
    const net = require("net");
    const tryPort = (left) => {
      const port = 20000 + Math.floor(Math.random() * 12768);
      const s = net.createServer();
      s.once("error", () => left > 0 ? tryPort(left - 1) : process.exit(1));
      s.listen(port, "127.0.0.1", () => { console.log(port); s.close(); });
    };
    tryPort(100);'
}
store_port=$(free_port); pep_port=$(free_port); sim_ok_port=$(free_port); sim_bad_port=$(free_port)
portal_port=$(free_port) # nothing listens there
token=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')

# the store: a command test.mjs runs again to start it after stopping it
store_cmd="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $jar $here/StoreServer.java $work/store $store_port $work/store.pid"
$store_cmd >"$work/store.log" 2>&1 &
sim=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar" io.pep.gateway.PepFccSim --forever)
"${sim[@]}" --port="$sim_ok_port" --store="$work/gw-ok" >"$work/sim-ok.log" 2>&1 &
pids+=($!)
"${sim[@]}" --port="$sim_bad_port" --store="$work/gw-bad" --return-status=13 >"$work/sim-bad.log" 2>&1 &
pids+=($!)

# pep, started again by test.mjs after it stops it (the "pep unreachable" banner)
cat >"$work/pep.sh" <<PEP
#!/usr/bin/env bash
cd "$work"
export PEP_SERVER_HOST=127.0.0.1 PEP_SERVER_PORT=$pep_port PEP_DATA_DIR="$work/data" PEP_ROUTES_DIR="$work/routes"
export MONGO_URI=mongodb://127.0.0.1:$store_port/ PEP_TOOL_MODE=in-process PEP_AUTH_ADMIN_TOKENS=$token
export PEP_HEALTH_STORE_TIMEOUT=500 PEP_MONGO_TIMEOUT_MS=1500 PEP_CONFIG_FILE="$work/none.properties"
# uploads asked for from the page go to a portal that is not there (scheduled uploads stay off): a failed run
export PEP_PORTAL_URL=http://127.0.0.1:$portal_port PEP_PORTAL_API_KEY=dashboard-test-key PEP_PORTAL_RETRY_MAX=1 PEP_PORTAL_RETRY_DELAY=100
exec java -XX:TieredStopAtLevel=1 -jar "$jar" >>"$work/pep.log" 2>&1
PEP
chmod +x "$work/pep.sh"
mkdir -p "$work/routes"

export PEP_URL=http://127.0.0.1:$pep_port PEP_ADMIN_TOKEN=$token PEP_START="$work/pep.sh" PEP_PID_FILE="$work/pep.pid"
export STORE_START="$store_cmd" STORE_PID_FILE="$work/store.pid" STORE_LOG="$work/store.log"
export SIM_OK_PORT=$sim_ok_port SIM_BAD_PORT=$sim_bad_port OUT_DIR=$out REPO=$repo WORK=$work

status=0
timeout --kill-after=5 "$limit" node "$here/test.mjs" || status=$?
if [[ $status -ne 0 ]]; then
  [[ $status -eq 124 ]] && echo "dashboard test: killed after ${limit}s" >&2
  echo "--- pep.log (last 30 lines)" >&2; tail -30 "$work/pep.log" >&2 || true
  echo "--- store.log" >&2; tail -10 "$work/store.log" >&2 || true
fi
exit "$status"
