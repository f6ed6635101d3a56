package io.poolwatch.config;

/** The database engines poolwatch pools connect to, chosen by URL at start-up. */
public enum DatabaseKind {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb"),
    H2("h2");

    private final String label;

    DatabaseKind(String label) {
        this.label = label;
    }

    /** The lower-case name used in labels and URLs. */
    public String label() {
        return label;
    }
}
