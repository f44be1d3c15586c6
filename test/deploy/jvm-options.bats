#!/usr/bin/env bats
# The image runs pep's JVM as bin/pep does: the Dockerfile's PEP_JVM_MEMORY is bin/lib/jvm.bash's
# options for Java 25 (memory, collector, Netty arenas, native-heap trim…), and MALLOC_ARENA_MAX
# the same. They are written twice (the image has no bash launcher); this keeps them one list.

setup() {
    REPO="$BATS_TEST_DIRNAME/../.."
    # Stand-in Java 25: jvm.bash reads the feature version from the release file beside bin/
    FAKE_JDK="$BATS_TEST_TMPDIR/jdk"
    mkdir -p "$FAKE_JDK/bin"
    printf '#!/bin/sh\nexit 0\n' > "$FAKE_JDK/bin/java"
    chmod +x "$FAKE_JDK/bin/java"
    echo 'JAVA_VERSION="25.0.3"' > "$FAKE_JDK/release"
}

dockerfile_env() { # the value of ENV NAME="..." (or NAME=...) in the Dockerfile
    sed -n "s/^\(ENV \)\{0,1\} *$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}.*/\2/p" "$REPO/Dockerfile" | head -1
}

@test "the Dockerfile's PEP_JVM_MEMORY is bin/lib/jvm.bash's options on Java 25" {
    # shellcheck disable=SC2016 # expanded by the inner bash
    run env -u MALLOC_ARENA_MAX JAVA_HOME="$FAKE_JDK" bash -c \
        'source "$1/bin/lib/jvm.bash"; echo "$PEP_JAVA_FEATURE"; echo "${PEP_JVM_OPTS[*]}"; echo "$MALLOC_ARENA_MAX"' _ "$REPO"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 25 ]
    [ -n "$(dockerfile_env PEP_JVM_MEMORY)" ]
    [ "${lines[1]}" = "$(dockerfile_env PEP_JVM_MEMORY)" ]
    [ "${lines[2]}" = "$(dockerfile_env MALLOC_ARENA_MAX)" ]
}
