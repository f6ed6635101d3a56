package io.poolwatch.checks;

import java.util.Collection;

/** A check name that is not defined; the message lists the defined ones. */
public class UnknownCheckException extends RuntimeException {

    public UnknownCheckException(String name, Collection<String> defined) {
        super("no check named '" + name + "'; defined: " + (defined.isEmpty() ? "none" : String.join(", ", defined)));
    }
}
