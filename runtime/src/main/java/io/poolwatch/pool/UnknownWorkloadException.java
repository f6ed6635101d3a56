package io.poolwatch.pool;

import java.util.Collection;

/** Application code asked for a workload that has no pool. */
public class UnknownWorkloadException extends IllegalArgumentException {

    public UnknownWorkloadException(String name, Collection<String> known) {
        super("no workload pool named '" + name + "'; defined: " + String.join(", ", known)
                + " (define one with poolwatch.pools.\"" + name + "\".url, or enable it)");
    }
}
