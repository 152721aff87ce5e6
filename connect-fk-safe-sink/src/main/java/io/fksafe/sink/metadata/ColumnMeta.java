package io.fksafe.sink.metadata;

/**
 * One target column: {@code dataType} is information_schema's DATA_TYPE (e.g. {@code bigint}), lower case;
 * {@code generated} marks a VIRTUAL, STORED or PERSISTENT generated column, which the target computes and refuses
 * to be given a value for.
 */
public record ColumnMeta(String name, String dataType, String columnType, boolean nullable, boolean generated) {

    public ColumnMeta(String name, String dataType, String columnType, boolean nullable) {
        this(name, dataType, columnType, nullable, false);
    }

    public boolean unsigned() {
        return columnType != null && columnType.contains("unsigned");
    }
}
