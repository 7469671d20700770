# Sourced by mise's scripts: exports JAVA_HOME pointing at a JDK >= 21, or explains and fails.
# Order: $JAVA_HOME if it is new enough, the `java` on PATH, then every JDK under /usr/lib/jvm
# (Debian's and Temurin's packages install there), newest first.
mise_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java.specification.version = //p' | head -n 1 | cut -d. -f1
}

mise_choose_jdk() {
  local candidate major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidates+=("${candidate%/}")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(mise_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "mise needs a JDK 21 or newer (found none in JAVA_HOME, on PATH or under /usr/lib/jvm): install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21, and set JAVA_HOME." >&2
  return 1
}

mise_choose_jdk
