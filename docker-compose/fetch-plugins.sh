#!/usr/bin/env bash
# Fills ./plugins with what the Connect worker loads: the fksafe sink archive (built from this repository) and the
# Debezium MySQL connector plugin archive from Maven Central. Needs Java 17 and Maven on the host.
set -euo pipefail
cd "$(dirname "$0")"
DEBEZIUM_VERSION="${DEBEZIUM_VERSION:-3.6.1.Final}"
rm -rf plugins && mkdir -p plugins
(cd .. && mvn -q -B -pl connect-fk-safe-sink -am package -DskipTests)
unzip -q ../connect-fk-safe-sink/target/connect-fk-safe-sink-*-plugin.zip -d plugins/
tmp=$(mktemp -d)
mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="io.debezium:debezium-connector-mysql:${DEBEZIUM_VERSION}:tar.gz:plugin" -DoutputDirectory="$tmp"
tar -xzf "$tmp"/debezium-connector-mysql-*.tar.gz -C plugins/
rm -rf "$tmp"
echo "plugins ready:"; ls plugins
