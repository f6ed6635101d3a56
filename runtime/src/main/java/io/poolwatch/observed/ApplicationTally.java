package io.poolwatch.observed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.poolwatch.engine.ObservedSession;

/**
 * Counts one database's sessions for the applications defined: one {@link ApplicationSnapshot} per definition looked
 * for there, each session counted for one definition at most ({@link ApplicationMatcher}), and the sessions none
 * matches grouped by (application name, user) as suggestions, largest first.
 */
public final class ApplicationTally {

    /** The most suggestions kept. */
    public static final int MAX_SUGGESTIONS = 50;

    /**
     * @param snapshots one per definition looked for on the database
     * @param unmatched the sessions no definition matched, grouped, largest first, at most {@link #MAX_SUGGESTIONS}
     */
    public record Result(List<ApplicationSnapshot> snapshots, List<UnmatchedSessions> unmatched) {
    }

    private ApplicationTally() {
    }

    /** The database name of a database label {@code host:port/name} (the part after the last '/'). */
    public static String databaseName(String label) {
        int slash = label.lastIndexOf('/');
        String name = slash < 0 ? label : label.substring(slash + 1);
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }

    /** Counts {@code read} for {@code definitions} (in any order; those not looked for on this database are left out). */
    public static Result tally(SessionRead read, List<ApplicationDefinition> definitions) {
        ApplicationMatcher matcher = new ApplicationMatcher(definitions, databaseName(read.database()));
        List<ApplicationSnapshot> snapshots = new ArrayList<>();
        if (!read.available()) {
            for (ApplicationDefinition d : matcher.definitions()) {
                snapshots.add(new ApplicationSnapshot(d.name(), read.database(), read.takenAt(), false,
                        read.unavailableReason(), 0, Map.of(), 0, 0,
                        Optional.empty(), Optional.empty(), Optional.empty(), 0, d.expectedMax(), d.userLabel()));
            }
            return new Result(snapshots, List.of());
        }
        Map<String, Counts> counts = new LinkedHashMap<>();
        matcher.definitions().forEach(d -> counts.put(d.name(), new Counts()));
        Map<List<String>, Group> unmatched = new LinkedHashMap<>();
        for (ObservedSession s : read.sessions()) {
            Optional<ApplicationDefinition> d = matcher.match(s.applicationName(), s.user(), s.clientAddress());
            if (d.isPresent()) {
                counts.get(d.get().name()).add(s);
            } else {
                Group g = unmatched.computeIfAbsent(List.of(s.applicationName(), s.user()), k -> new Group());
                g.sessions++;
                if (g.addresses.size() < Counts.MAX_ADDRESSES) {
                    g.addresses.add(s.clientAddress());
                }
            }
        }
        for (ApplicationDefinition d : matcher.definitions()) {
            Counts c = counts.get(d.name());
            snapshots.add(new ApplicationSnapshot(d.name(), read.database(), read.takenAt(), true, Optional.empty(), c.sessions,
                    c.byState,
                    c.addresses.size(), c.idleInTransaction, c.oldestIdleInTransaction, c.longestTransaction,
                    c.longestStatement,
                    c.waitingOnLock, d.expectedMax(), d.userLabel()));
        }
        List<UnmatchedSessions> groups = new ArrayList<>();
        unmatched.forEach((k, g) -> groups
                .add(new UnmatchedSessions(read.database(), k.get(0), k.get(1), g.sessions, g.addresses.size())));
        return new Result(snapshots, largestFirst(groups));
    }

    /** The groups largest first (then by database, application name, user), at most {@link #MAX_SUGGESTIONS}. */
    public static List<UnmatchedSessions> largestFirst(List<UnmatchedSessions> groups) {
        return groups.stream()
                .sorted(Comparator.comparingInt(UnmatchedSessions::sessions).reversed()
                        .thenComparing(UnmatchedSessions::database).thenComparing(UnmatchedSessions::applicationName)
                        .thenComparing(UnmatchedSessions::user))
                .limit(MAX_SUGGESTIONS).toList();
    }

    private static final class Group {
        int sessions;
        final Set<String> addresses = new HashSet<>();
    }

    private static final class Counts {
        /** Distinct addresses counted at most (a read holds at most the reader's limit of sessions anyway). */
        static final int MAX_ADDRESSES = 10_000;
        int sessions;
        final Map<String, Integer> byState = new LinkedHashMap<>();
        final Set<String> addresses = new HashSet<>();
        int idleInTransaction;
        Optional<Duration> oldestIdleInTransaction = Optional.empty();
        Optional<Duration> longestTransaction = Optional.empty();
        Optional<Duration> longestStatement = Optional.empty();
        int waitingOnLock;

        void add(ObservedSession s) {
            sessions++;
            byState.merge(s.state(), 1, Integer::sum);
            if (addresses.size() < MAX_ADDRESSES) {
                addresses.add(s.clientAddress());
            }
            if (s.idleInTransaction()) {
                idleInTransaction++;
                oldestIdleInTransaction = max(oldestIdleInTransaction, s.stateAge());
            }
            longestTransaction = max(longestTransaction, s.transactionAge());
            longestStatement = max(longestStatement, s.statementAge());
            if (s.waitingOnLock()) {
                waitingOnLock++;
            }
        }

        private static Optional<Duration> max(Optional<Duration> a, Optional<Duration> b) {
            if (b.isEmpty()) {
                return a;
            }
            return a.isEmpty() || b.get().compareTo(a.get()) > 0 ? b : a;
        }
    }
}
