# shellcheck shell=bash
# What bin/pep-inject and bin/pep-fcc-sim share: find pep.jar and run one of its command-line
# tools in a small, quick-starting JVM (a tool run lasts well under a second).
#   source bin/lib/launcher.bash; run_pep_tool NAME MAIN_CLASS [ARG...]
# Env: PEP_JAR (the fat jar; default <repo>/target/pep.jar, then <bin>/../pep.jar as in the image);
#      PEP_JAVA and PEP_JAVA_FEATURE (the java to use and its version; bin/pep exports its own, else
#      bin/lib/java.bash finds one as bin/pep would); PEP_AOT=off runs without the start-up cache.
# Start-up cache: <jar>.<NAME>.aot on Java 25+ (an AOT cache), <jar>.<NAME>.jsa on Java 17-24 (a
# class-data archive), written by bin/lib/train-tool-cache (bin/pep runs it once per build, the
# image at build). One that is missing or older than the jar is not used; one the JVM finds does not
# match (another JVM, other options) is ignored by the JVM itself. Either way the run goes on, only
# slower to start, and nothing of the JVM's own logging reaches stdout, which the caller parses.

# pep_tool_jvm_options: sets PEP_TOOL_OPTS (an array), the JVM options of a tool run: the same for a
# run and for the training of its cache (a cache is only used with the options it was trained with).
# C1 only, the serial collector, a small stack; on OutOfMemoryError the run ends at once.
pep_tool_jvm_options() {
  PEP_TOOL_OPTS=(-Dfile.encoding=UTF-8 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
    -Xss512k -XX:-UsePerfData)
  if ((PEP_JAVA_FEATURE >= 25)); then
    PEP_TOOL_OPTS+=(-XX:+UseCompactObjectHeaders -Xlog:disable '-Xlog:all=warning,aot*=off,cds*=off:stderr')
  else
    PEP_TOOL_OPTS+=(-Xlog:disable '-Xlog:all=warning,cds*=off:stderr')
  fi
}

# pep_tool_cache NAME JAR: sets PEP_TOOL_CACHE, the tool's start-up cache file for this JVM (whether it
# exists or not), and PEP_TOOL_CACHE_USE, the option that uses it (PEP_TOOL_CACHE_OUTPUT: writes it)
# shellcheck disable=SC2034 # used by run_pep_tool and bin/lib/train-tool-cache
pep_tool_cache() {
  if ((PEP_JAVA_FEATURE >= 25)); then
    PEP_TOOL_CACHE=$2.$1.aot
    PEP_TOOL_CACHE_USE=-XX:AOTCache=$PEP_TOOL_CACHE
    PEP_TOOL_CACHE_OUTPUT=-XX:AOTCacheOutput=$PEP_TOOL_CACHE
  else
    PEP_TOOL_CACHE=$2.$1.jsa
    PEP_TOOL_CACHE_USE=-XX:SharedArchiveFile=$PEP_TOOL_CACHE
    PEP_TOOL_CACHE_OUTPUT=-XX:ArchiveClassesAtExit=$PEP_TOOL_CACHE
  fi
}

pep_tool_java() { # sets PEP_JAVA and PEP_JAVA_FEATURE unless the caller (bin/pep) passed them
  if [[ -z ${PEP_JAVA:-} || -z ${PEP_JAVA_FEATURE:-} ]]; then
    # shellcheck source=bin/lib/java.bash
    source "${BASH_SOURCE[0]%/*}/java.bash"
    pep_find_java
  fi
}

pep_find_jar() { # NAME: sets jar (PEP_JAR, else target/pep.jar of this checkout, else the image's)
  local candidate bin_dir=${BASH_SOURCE[0]%/lib/*}
  jar=${PEP_JAR:-}
  if [[ -z $jar ]]; then
    for candidate in "$bin_dir/../target/pep.jar" "$bin_dir/../pep.jar"; do
      if [[ -f $candidate ]]; then
        jar=$candidate
        break
      fi
    done
  fi
  if [[ -z $jar || ! -f $jar ]]; then
    echo "$1: cannot find pep.jar (set PEP_JAR, or build it: mvn -DskipTests package)" >&2
    exit 1
  fi
}

run_pep_tool() {
  local name=$1 main_class=$2 jar
  shift 2
  pep_find_jar "$name"
  pep_tool_java
  # Serials must reach the factory tool byte for byte: Java encodes and decodes process arguments
  # with the locale's charset, and systemd or a bare container start without a UTF-8 locale (then
  # GW-Ünï-✓-08 would become GW-?n?-?-08). -Dfile.encoding=UTF-8 covers Java 17 where C.UTF-8 is
  # missing; Java 25 needs the locale itself; -Dsun.jnu.encoding cannot be set from the command line.
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
  pep_tool_jvm_options
  pep_tool_cache "$name" "$jar"
  if [[ ${PEP_AOT:-on} != off && -f $PEP_TOOL_CACHE && ! $jar -nt $PEP_TOOL_CACHE ]]; then
    PEP_TOOL_OPTS+=("$PEP_TOOL_CACHE_USE")
  fi
  # exec: a caller's timeout kill must reach the JVM itself, not this shell.
  exec "$PEP_JAVA" "${PEP_TOOL_OPTS[@]}" -cp "$jar" "$main_class" "$@"
}
