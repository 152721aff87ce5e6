package io.fksafe.json;

/**
 * Not an error by itself: the record is outside what the streaming reader or writer handles, and the converter hands
 * it to JsonConverter, whose result or error stands. One shared instance without a stack trace, as it is thrown on
 * data, not on bugs.
 */
final class Unusual extends RuntimeException {

    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
        super(null, null, false, false);
    }
}
