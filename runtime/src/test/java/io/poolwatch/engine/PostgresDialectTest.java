package io.poolwatch.engine;

import java.util.Optional;
import java.util.Properties;

import io.poolwatch.testing.TestDatabases;

class PostgresDialectTest extends DialectContract {

    @Override
    Dialect dialect() {
        return DatabaseKind.POSTGRESQL.dialect();
    }

    @Override
    String url() {
        return TestDatabases.postgres().jdbcUrl();
    }

    @Override
    Properties login() {
        Properties p = new Properties();
        p.setProperty("user", TestDatabases.postgres().user());
        p.setProperty("password", TestDatabases.postgres().password());
        return p;
    }

    @Override
    Optional<String> sleep(int seconds) {
        return Optional.of("SELECT pg_sleep(" + seconds + ")");
    }
}
