# shellcheck shell=bash
# What bin/pep-inject and bin/pep-fcc-sim share: find pep.jar and run one of its command-line
# tools in a small, quick-starting JVM (a tool run lasts well under a second).
#   source bin/lib/launcher.bash; run_pep_tool NAME MAIN_CLASS [ARG...]
# Env: PEP_JAR (the fat jar; default <repo>/target/pep.jar, then <bin>/../pep.jar as in the image).

run_pep_tool() {
  local name=$1 main_class=$2 bin_dir candidate jar=${PEP_JAR:-}
  shift 2
  bin_dir=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
  if [[ -z $jar ]]; then
    for candidate in "$bin_dir/../target/pep.jar" "$bin_dir/../pep.jar"; do
      if [[ -f $candidate ]]; then
        jar=$candidate
        break
      fi
    done
  fi
  if [[ -z $jar || ! -f $jar ]]; then
    echo "$name: cannot find pep.jar (set PEP_JAR, or build it: mvn -DskipTests package)" >&2
    exit 1
  fi
  # Serials must reach the factory tool byte for byte: Java encodes and decodes process arguments
  # with the locale's charset, and systemd or a bare container start without a UTF-8 locale (then
  # GW-Ünï-✓-08 would become GW-?n?-?-08). -Dfile.encoding=UTF-8 covers Java 17 where C.UTF-8 is
  # missing; Java 25 needs the locale itself; -Dsun.jnu.encoding cannot be set from the command line.
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
  # exec: a caller's timeout kill must reach the JVM itself, not this shell.
  exec java -Dfile.encoding=UTF-8 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k -cp "$jar" "$main_class" "$@"
}
