package io.poolwatch.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.io.TempDir;

class H2DialectTest extends DialectContract {

    @TempDir
    Path dir;

    @Override
    Dialect dialect() {
        return DatabaseKind.H2.dialect();
    }

    @Override
    String url() {
        return "jdbc:h2:file:" + dir.resolve("contract") + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    Properties login() {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return p;
    }

    @Override
    Optional<String> sleep(int seconds) {
        // A cross join H2 takes seconds over; SET QUERY_TIMEOUT cancels it.
        return Optional.of("SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) a, SYSTEM_RANGE(1, 100000) b");
    }
}
