package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.poolwatch.config.PoolwatchConfig;

/**
 * Reads {@code poolwatch.applications."<name>".*} into {@link ApplicationDefinition}s, with every problem of every
 * definition at once, each naming its key, its value and what is accepted.
 */
public final class ApplicationDefinitions {

    /** The most applications that may be defined: each costs a few meters and a pass over every session per sample. */
    public static final int MAX_DEFINITIONS = 200;
    /** The longest definition name, application-name or user pattern (PostgreSQL keeps 63 bytes of a name). */
    public static final int MAX_PATTERN_LENGTH = 128;
    /** The largest expected-max. */
    public static final int MAX_EXPECTED_MAX = 1_000_000;
    static final String PREFIX = "poolwatch.applications.";

    /**
     * The definitions read, most specific first ({@link ApplicationDefinition#MOST_SPECIFIC_FIRST}), and the problems;
     * a definition with a problem is left out.
     */
    public record Parsed(List<ApplicationDefinition> definitions, List<String> problems) {
    }

    private ApplicationDefinitions() {
    }

    /** Reads every definition; see {@link Parsed}. */
    public static Parsed parse(Map<String, PoolwatchConfig.ApplicationConfig> applications) {
        List<String> problems = new ArrayList<>();
        List<ApplicationDefinition> out = new ArrayList<>();
        if (applications.size() > MAX_DEFINITIONS) {
            problems.add(PREFIX + "*: " + applications.size() + " applications defined; accepted: at most " + MAX_DEFINITIONS);
        }
        for (Map.Entry<String, PoolwatchConfig.ApplicationConfig> e : new TreeMap<>(applications).entrySet()) {
            List<String> own = new ArrayList<>();
            String name = e.getKey();
            PoolwatchConfig.ApplicationConfig c = e.getValue();
            String key = PREFIX + "\"" + shown(name) + "\".";
            if (!text(name)) {
                own.add(PREFIX + "\"" + shown(name) + "\": the name; accepted: 1 to " + MAX_PATTERN_LENGTH
                        + " characters, no control characters");
            }
            String appPattern = c.applicationName().orElse(name);
            if (c.applicationName().isPresent() && !text(appPattern)) {
                own.add(key + "application-name=\"" + shown(appPattern)
                        + "\": accepted: an application name or a glob with * and ?, 1 to "
                        + MAX_PATTERN_LENGTH + " characters, no control characters");
            }
            if (c.user().isPresent() && !text(c.user().get())) {
                own.add(key + "user=\"" + shown(c.user().get()) + "\": accepted: a user name or a glob with * and ?, 1 to "
                        + MAX_PATTERN_LENGTH + " characters, no control characters");
            }
            Optional<ClientNetwork> network = Optional.empty();
            if (c.clientAddress().isPresent()) {
                try {
                    network = Optional.of(ClientNetwork.parse(c.clientAddress().get()));
                } catch (IllegalArgumentException ex) {
                    own.add(key + "client-address=\"" + shown(c.clientAddress().get()) + "\": " + ex.getMessage()
                            + "; accepted: "
                            + ClientNetwork.ACCEPTED + ", never a host name");
                }
            }
            if (c.database().isPresent() && (!text(c.database().get()) || Glob.isGlob(c.database().get()))) {
                own.add(key + "database=\"" + shown(c.database().get()) + "\": accepted: a database name (no * or ?), 1 to "
                        + MAX_PATTERN_LENGTH + " characters");
            }
            OptionalInt expectedMax = OptionalInt.empty();
            if (c.expectedMax().isPresent()) {
                String v = c.expectedMax().get().trim();
                if (v.matches("[0-9]{1,7}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= MAX_EXPECTED_MAX) {
                    expectedMax = OptionalInt.of(Integer.parseInt(v));
                } else {
                    own.add(key + "expected-max=" + shown(c.expectedMax().get()) + ": accepted: a whole number from 1 to "
                            + MAX_EXPECTED_MAX
                            + " (the application's pool size plus overflow, times its instances)");
                }
            }
            if (own.isEmpty()) {
                out.add(new ApplicationDefinition(name, Glob.of(appPattern), c.user().map(Glob::of), network, c.database(),
                        expectedMax));
            }
            problems.addAll(own);
        }
        if (out.size() > MAX_DEFINITIONS) {
            out = new ArrayList<>(out.subList(0, MAX_DEFINITIONS));
        }
        out.sort(ApplicationDefinition.MOST_SPECIFIC_FIRST);
        return new Parsed(List.copyOf(out), List.copyOf(problems));
    }

    private static boolean text(String s) {
        return !s.isBlank() && s.length() <= MAX_PATTERN_LENGTH && s.chars().noneMatch(Character::isISOControl);
    }

    /** A value as an error message shows it: cut at 100 characters, control characters escaped. */
    private static String shown(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "... (" + s.length() + " characters)" : s;
        StringBuilder b = new StringBuilder();
        cut.chars().forEach(ch -> {
            if (Character.isISOControl(ch)) {
                b.append(String.format("\\u%04x", ch));
            } else {
                b.append((char) ch);
            }
        });
        return b.toString();
    }
}
