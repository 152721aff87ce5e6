package io.fksafe.sink.ddl;

/** A statement the sink will not run as it is; the message says why and what to do instead. */
final class DdlRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DdlRefusedException(String message) {
        super(message);
    }
}
