package io.fksafe.sink.checkpoint;

import io.fksafe.change.SourcePosition;

/** The next Kafka offset to read for a partition, and the source position of the last change committed from it. */
public record Checkpoint(long nextOffset, SourcePosition position) {}
