package io.fksafe.sink.metadata;

/** A foreign key's referential action, as information_schema spells it. */
public enum FkRule {
    CASCADE,
    SET_NULL,
    SET_DEFAULT,
    RESTRICT,
    NO_ACTION;

    public static FkRule parse(String rule) {
        return FkRule.valueOf(rule.trim().replace(' ', '_'));
    }
}
