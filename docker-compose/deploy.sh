#!/bin/sh
# Deploys config/source-mysql.json and config/sink-tidb.json through the Connect REST API, filling the ${VAR}
# placeholders from the environment (the same names ./fksafe writes to .fksafe/stack.env). The passwords are not
# among them: the configs keep ${env:SOURCE_PASSWORD} / ${env:TARGET_PASSWORD}, which the Connect worker resolves.
set -eu
until curl -fsS "$CONNECT_URL/connector-plugins" >/dev/null 2>&1; do sleep 2; done
fill() {
  sed -e "s|\${SOURCE_HOST}|$SOURCE_HOST|g; s|\${SOURCE_PORT}|$SOURCE_PORT|g; s|\${SOURCE_USER}|$SOURCE_USER|g" \
      -e "s|\${TARGET_HOST}|$TARGET_HOST|g; s|\${TARGET_PORT}|$TARGET_PORT|g" \
      -e "s|\${TARGET_USER}|$TARGET_USER|g; s|\${KAFKA_BOOTSTRAP}|$KAFKA_BOOTSTRAP|g" \
      -e "s|\${SOURCE_CONNECTOR}|$SOURCE_CONNECTOR|g; s|\${SINK_CONNECTOR}|$SINK_CONNECTOR|g" "$1"
}
for f in source-mysql sink-tidb; do
  body=$(fill "/etc/fksafe/config/$f.json")
  name=$(printf '%s' "$body" | sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' | head -n 1)
  config=$(printf '%s' "$body" | sed -n '/"config": *{/,$p' | sed '1s/^ *"config": *//' | sed '$d')
  echo "deploying $name"
  curl -fsS -X PUT -H 'Content-Type: application/json' --data "$config" "$CONNECT_URL/connectors/$name/config"
  echo
done
