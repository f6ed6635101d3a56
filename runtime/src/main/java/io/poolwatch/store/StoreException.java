package io.poolwatch.store;

/** poolwatch's tables could not be read or written: the database is down, refuses the statement, or the file is taken. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
