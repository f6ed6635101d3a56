package io.poolwatch.engine;

import java.util.Optional;
import java.util.Properties;

import io.poolwatch.testing.TestDatabases;

class MariadbDialectTest extends DialectContract {

    @Override
    Dialect dialect() {
        return DatabaseKind.MARIADB.dialect();
    }

    @Override
    String url() {
        return TestDatabases.mariadbUrl();
    }

    @Override
    Properties login() {
        return new Properties();
    }

    @Override
    Optional<String> sleep(int seconds) {
        // A join that takes seconds: max_statement_time interrupts it with an error, where SLEEP() and BENCHMARK() only
        // return early.
        return Optional.of("SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, "
                + "information_schema.columns c");
    }
}
