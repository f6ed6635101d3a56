package io.poolwatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The PostgreSQL server binaries the tests' own clusters run (initdb, pg_ctl, postgres), and the watchdog that stops such
 * a cluster and deletes its directory once the JVM that made it is gone, however it ended.
 */
public final class PostgresBinaries {

    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
    /** A cluster's watchdog stops it after this long even while the JVM runs (a test run is far shorter). */
    static final long LONGEST_LIFE_SECONDS = 3600;

    private PostgresBinaries() {
    }

    /** POOLWATCH_TEST_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin with the server binaries. */
    public static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("POOLWATCH_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else if (Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
                versions.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString()))
                                .reversed())
                        .forEach(p -> candidates.add(p.resolve("bin")));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return candidates.stream()
                .filter(b -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(t -> Files.isExecutable(b.resolve(t))))
                .findFirst();
    }

    /**
     * Starts a detached watchdog (its own session, as {@code owner} when not null) that waits for this JVM to exit, or
     * {@link #LONGEST_LIFE_SECONDS}, then stops the cluster whose data is {@code base/data} and deletes {@code base}.
     * {@code name} names it in the process list.
     */
    public static void watchdog(String name, Path base, Path binaries, String owner) {
        String script = """
                jvm=$1; deadline=$(( $(date +%s) + $2 )); bin=$3; base=$4
                while [ -d "/proc/$jvm" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 2; done
                [ -d "$base/data" ] && "$bin/pg_ctl" -D "$base/data" -m immediate -w -t 30 stop >/dev/null 2>&1
                rm -rf "$base"
                """;
        List<String> command = new ArrayList<>();
        if (owner != null) {
            command.addAll(List.of("runuser", "-u", owner, "--"));
        }
        command.addAll(List.of("setsid", "sh", "-c", script, name, Long.toString(ProcessHandle.current().pid()),
                Long.toString(LONGEST_LIFE_SECONDS), binaries.toString(), base.toString()));
        try {
            new ProcessBuilder(command).directory(Path.of("/tmp").toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.warnf("no watchdog for the cluster in %s (it stops with this JVM's exit hook only): %s", base, e.getMessage());
        }
    }
}
