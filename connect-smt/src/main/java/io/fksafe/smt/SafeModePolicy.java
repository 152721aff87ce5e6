package io.fksafe.smt;

import io.fksafe.change.SourcePosition;
import io.fksafe.smt.DebeziumToChangeRecordConfig.SafeMode;

/** The SMT's half of the safe-mode decision: what the event and the static configuration say. */
final class SafeModePolicy {

    private final SafeMode mode;
    private final SafeModeWindows windows;
    private final boolean snapshotSafe;

    SafeModePolicy(SafeMode mode, SafeModeWindows windows, boolean snapshotSafe) {
        this.mode = mode;
        this.windows = windows;
        this.snapshotSafe = snapshotSafe;
    }

    static SafeModePolicy of(DebeziumToChangeRecordConfig config) {
        return new SafeModePolicy(config.safeMode(), config.windows(), config.snapshotSafe());
    }

    /** Records without a position (transaction markers) are safe only when safe mode is forced. */
    boolean isSafe(SourcePosition position) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case WINDOW -> position != null && ((snapshotSafe && position.snapshot()) || windows.contains(position));
        };
    }
}
