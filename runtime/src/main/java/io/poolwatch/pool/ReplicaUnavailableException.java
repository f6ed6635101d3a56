package io.poolwatch.pool;

import java.sql.SQLTransientConnectionException;

/** A read found no usable replica and its workload's {@code read-routing.fallback} is {@code fail}. */
public class ReplicaUnavailableException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    private final String workload;

    public ReplicaUnavailableException(String workload, String reasons, Throwable cause) {
        super("no read replica of workload '" + workload + "' is usable: " + reasons
                + " (read-routing.fallback=fail; set it to primary to serve such reads from the workload's own pool)", "08001",
                cause);
        this.workload = workload;
    }

    public String workload() {
        return workload;
    }
}
