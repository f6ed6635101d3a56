package io.poolwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One run of the Python example ({@code examples/python-sqlalchemy/service.py}) on Debian's {@code /usr/bin/python3}:
 * started with its environment variables and arguments, stdout and stderr to files (a full pipe would stall it), and
 * destroyed on {@link #close()} whatever happened, so a test in try-with-resources never leaves it running.
 */
public final class PythonExample implements AutoCloseable {

    /** Debian's interpreter: a pyenv or virtualenv {@code python3} earlier on the PATH lacks the Debian modules. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The script, from a module's directory (where Maven runs the tests). */
    public static final Path SCRIPT = Path.of("../examples/python-sqlalchemy/service.py");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Optional<String> unavailable;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    /** How a run ended: its exit code, the summary line (null when it printed none) and what it wrote to stderr. */
    public record Result(int exitCode, JsonNode summary, String stderr) {
    }

    private PythonExample(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Why the example cannot run on this machine (no interpreter, no script, or SQLAlchemy 1.4+, psycopg2 or asyncpg
     * not importable), or empty when it can. Checked once.
     */
    public static synchronized Optional<String> unavailable() {
        if (unavailable == null) {
            unavailable = check();
        }
        return unavailable;
    }

    private static Optional<String> check() {
        if (!Files.isExecutable(PYTHON)) {
            return Optional.of(PYTHON + " is not there (Debian's python3 package)");
        }
        if (!Files.isRegularFile(SCRIPT)) {
            return Optional.of("the example is not at " + SCRIPT.toAbsolutePath());
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c",
                    "import sqlalchemy, psycopg2, asyncpg, greenlet; assert tuple(map(int, sqlalchemy.__version__.split('.')[:2])) >= (1, 4)")
                    .redirectErrorStream(true).start();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    return Optional.of(PYTHON + " did not import the modules within 30 s");
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return p.exitValue() == 0 ? Optional.empty()
                        : Optional.of(PYTHON + " lacks SQLAlchemy >= 1.4, psycopg2, asyncpg or greenlet (python3-sqlalchemy, "
                                + "python3-psycopg2, python3-asyncpg): " + out.lines().reduce((a, b) -> b).orElse(""));
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return Optional.of(PYTHON + " could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + PYTHON);
        }
    }

    /**
     * Starts the example with {@code env} on top of this JVM's environment, less any seed variable ({@code DATABASE_URL},
     * {@code DB_*}, {@code APP_NAME}) the JVM itself was given, so only what the test says applies.
     */
    public static PythonExample start(Map<String, String> env, List<String> args) throws IOException {
        Path out = Files.createTempFile("python-example", ".out");
        Path err = Files.createTempFile("python-example", ".err");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DB_") || k.equals("DATABASE_URL") || k.equals("APP_NAME"));
        pb.environment().putAll(env);
        try {
            return new PythonExample(pb.start(), out, err);
        } catch (IOException e) {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            throw e;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits at most {@code seconds} for the run to end by itself; fails (and kills it) when it does not. */
    public Result await(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            String err = stderrText();
            close();
            throw new AssertionError("the Python example did not end within " + seconds + " s; stderr: " + err);
        }
        String lastLine = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .reduce((a, b) -> b)
                .orElse(null);
        return new Result(process.exitValue(), lastLine == null ? null : JSON.readTree(lastLine), stderrText());
    }

    private String stderrText() throws IOException {
        String text = Files.readString(stderr, StandardCharsets.UTF_8);
        // Bounded: a failure message should name the problem, not carry a traceback storm.
        return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
    }

    /** Ends the run (SIGTERM, which still prints the summary, then SIGKILL after 5 s) and removes its output files. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
