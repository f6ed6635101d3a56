package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One application poolwatch does not own, as {@code poolwatch.applications."<name>".*} defines it: which sessions are
 * its own, and how many it may open.
 *
 * @param name the definition's name
 * @param applicationName the application name its sessions report: exact, or a {@link Glob}
 * @param user only sessions of this database user (exact or glob), if set
 * @param clientAddress only sessions from this network, if set
 * @param database only on the database of this name, if set
 * @param expectedMax the sessions it may open, if set
 */
public record ApplicationDefinition(String name, Glob applicationName, Optional<Glob> user,
        Optional<ClientNetwork> clientAddress,
        Optional<String> database, OptionalInt expectedMax) {

    /**
     * The order definitions are tried in; a session is counted for the first that matches. An exact application name
     * before a glob; then more conditions (user, client address, database) before fewer; then the application-name
     * pattern with more literal characters (not {@code *} or {@code ?}) first, so {@code mingus-*} is tried before
     * {@code *}; then by name.
     */
    public static final Comparator<ApplicationDefinition> MOST_SPECIFIC_FIRST = Comparator
            .comparing((ApplicationDefinition d) -> Glob.isGlob(d.applicationName().pattern()))
            .thenComparing(Comparator.comparingInt(ApplicationDefinition::conditions).reversed())
            .thenComparing(Comparator.comparingInt(ApplicationDefinition::literalCharacters).reversed())
            .thenComparing(ApplicationDefinition::name);

    /** The characters of the application-name pattern that are neither {@code *} nor {@code ?}. */
    public int literalCharacters() {
        String p = applicationName.pattern();
        return (int) p.chars().filter(c -> c != '*' && c != '?').count();
    }

    /** How many conditions besides the application name it has (user, client address, database). */
    public int conditions() {
        return (user.isPresent() ? 1 : 0) + (clientAddress.isPresent() ? 1 : 0) + (database.isPresent() ? 1 : 0);
    }

    /** Whether it is looked for on the database of this name. */
    public boolean watches(String databaseName) {
        return database.isEmpty() || database.get().equals(databaseName);
    }

    /** Whether a session with these figures is this application's (the database is checked by {@link #watches}). */
    public boolean matches(String sessionApplicationName, String sessionUser, String sessionClientAddress) {
        return applicationName.matches(sessionApplicationName)
                && (user.isEmpty() || user.get().matches(sessionUser))
                && (clientAddress.isEmpty() || clientAddress.get().contains(sessionClientAddress));
    }

    /** The user it matches, as meters and snapshots label it: the pattern, or {@code any}. */
    public String userLabel() {
        return user.map(Glob::pattern).orElse("any");
    }

    /** The match in words, for the API and the page. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        String app = applicationName.pattern();
        parts.add(app.equals("*") ? "any application name"
                : Glob.isGlob(app) ? "application name like '" + app + "'" : "application name '" + app + "'");
        user.ifPresent(
                u -> parts.add(Glob.isGlob(u.pattern()) ? "user like '" + u.pattern() + "'" : "user '" + u.pattern() + "'"));
        clientAddress.ifPresent(c -> parts.add("client address in " + c.text()));
        database.ifPresent(d -> parts.add("database '" + d + "'"));
        return "sessions with " + String.join(", ", parts);
    }
}
