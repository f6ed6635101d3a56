package io.poolwatch.config;

import java.util.List;

/** Start-up refused: the configuration has problems, each named with its key, its value and what is accepted. */
public class InvalidConfigurationException extends RuntimeException {

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
