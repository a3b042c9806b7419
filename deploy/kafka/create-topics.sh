#!/usr/bin/env bash
# Creates the platform's topics and their dead-letter topics (names as in platform/contracts Topics).
set -euo pipefail
bootstrap="${1:-kafka:9092}"
partitions="${KAFKA_TOPIC_PARTITIONS:-3}"
replication="${KAFKA_TOPIC_REPLICATION:-1}"
for topic in sync-requested sync-status transactions-synced webhook-received credential-events integration-events balance-alerts; do
  for name in "$topic" "$topic.dlq"; do
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
      --topic "$name" --partitions "$partitions" --replication-factor "$replication"
  done
done
