package io.poolwatch.config;

import java.util.List;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Start-up refused: the configuration has problems, each named with its key, its value and what is accepted.
 * As a {@link ConfigurationException}, Quarkus prints just this message, not a stack trace.
 */
public class InvalidConfigurationException extends ConfigurationException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        this(problems.stream().distinct().toList(), true);
    }

    private InvalidConfigurationException(List<String> distinct, boolean marker) {
        super(render(distinct));
        this.problems = distinct;
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }

    private static String render(List<String> problems) {
        StringBuilder sb = new StringBuilder("poolwatch cannot start: the configuration has ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
