# shellcheck shell=bash
# Which java runs pep and its command-line tools (bin/lib/jvm.bash for the server, bin/lib/launcher.bash
# for pep-inject and pep-fcc-sim): sourced, sets PEP_JAVA and PEP_JAVA_FEATURE (17, 25…).
# $JAVA_HOME/bin/java, else Temurin 25 where it is installed (/usr/lib/jvm/temurin-25-jdk-amd64),
# else java on the PATH. Java 17 works; 25 starts faster (AOT cache).
# A process started by bin/pep inherits both (exported): a tool run per gateway then finds its java
# without looking again.

pep_java_feature() { # the feature version of a java binary (17, 25...), cheaply from its release file
  local release version
  release=$(dirname "$(dirname "$(readlink -f "$(command -v "$1")")")")/release
  if [[ -f $release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  fi
  [[ -n ${version:-} ]] || version=$("$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  echo "${version:-0}"
}

# shellcheck disable=SC2034 # PEP_JAVA_FEATURE is read by those who source this
pep_find_java() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    PEP_JAVA=$JAVA_HOME/bin/java
  elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    PEP_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    PEP_JAVA=java
  fi
  PEP_JAVA_FEATURE=$(pep_java_feature "$PEP_JAVA")
}
