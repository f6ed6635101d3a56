package io.poolwatch.engine;

/** The database engines poolwatch pools connect to, chosen by URL at start-up. */
public enum DatabaseKind {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb"),
    H2("h2");

    private final String label;

    DatabaseKind(String label) {
        this.label = label;
    }

    /** What differs about this engine: ask it rather than branch on the kind. */
    public Dialect dialect() {
        return switch (this) {
            case POSTGRESQL -> PostgresDialect.INSTANCE;
            case MARIADB -> MariadbDialect.INSTANCE;
            case H2 -> H2Dialect.INSTANCE;
        };
    }

    /** The lower-case name used in labels and URLs. */
    public String label() {
        return label;
    }
}
