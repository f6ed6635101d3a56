package io.poolwatch.observed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the one definition a session is counted for: the definitions are tried most specific first
 * ({@link ApplicationDefinition#MOST_SPECIFIC_FIRST}: an exact application name before a glob, more conditions before
 * fewer, a pattern with more literal characters before one with fewer, then by name) and the first that matches wins, so no
 * session is counted twice. Answers are remembered per
 * distinct (application name, user, address) for the life of the matcher (one sample), bounded.
 */
public final class ApplicationMatcher {

    /** Distinct session descriptions remembered at most; beyond, each is matched afresh. */
    static final int MAX_REMEMBERED = 10_000;

    private final List<ApplicationDefinition> definitions;
    private final Map<List<String>, Optional<ApplicationDefinition>> answers = new HashMap<>();

    /**
     * A matcher over these definitions, already in {@link ApplicationDefinition#MOST_SPECIFIC_FIRST} order, on one database.
     */
    public ApplicationMatcher(List<ApplicationDefinition> definitions, String databaseName) {
        this.definitions = definitions.stream().filter(d -> d.watches(databaseName))
                .sorted(ApplicationDefinition.MOST_SPECIFIC_FIRST).toList();
    }

    /** The definitions looked for on this matcher's database, most specific first. */
    public List<ApplicationDefinition> definitions() {
        return definitions;
    }

    /** The definition a session with these figures counts for, if any. */
    public Optional<ApplicationDefinition> match(String applicationName, String user, String clientAddress) {
        List<String> key = List.of(applicationName, user, clientAddress);
        Optional<ApplicationDefinition> known = answers.get(key);
        if (known != null) {
            return known;
        }
        Optional<ApplicationDefinition> found = Optional.empty();
        for (ApplicationDefinition d : definitions) {
            if (d.matches(applicationName, user, clientAddress)) {
                found = Optional.of(d);
                break;
            }
        }
        if (answers.size() < MAX_REMEMBERED) {
            answers.put(key, found);
        }
        return found;
    }
}
