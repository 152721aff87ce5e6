package io.fksafe.sink.metadata;

/** One target column: {@code dataType} is information_schema's DATA_TYPE (e.g. {@code bigint}), lower case. */
public record ColumnMeta(String name, String dataType, String columnType, boolean nullable) {

    public boolean unsigned() {
        return columnType != null && columnType.contains("unsigned");
    }
}
