package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.poolwatch.engine.DatabaseKind;

class DatabaseUrlTest {

    @ParameterizedTest
    @CsvSource({
            "postgresql://app:s3cret@db.example:5432/ledger, jdbc:postgresql://db.example:5432/ledger",
            "postgres://app:s3cret@db.example/ledger, jdbc:postgresql://db.example/ledger",
            "postgresql+asyncpg://app:s3cret@db.example:6432/ledger, jdbc:postgresql://db.example:6432/ledger",
            "postgresql+psycopg2://app:s3cret@db.example/ledger, jdbc:postgresql://db.example/ledger",
            "mysql://app:s3cret@db.example:3306/ledger, jdbc:mariadb://db.example:3306/ledger",
            "mysql+pymysql://app:s3cret@db.example/ledger, jdbc:mariadb://db.example/ledger",
            "mariadb://app:s3cret@db.example/ledger, jdbc:mariadb://db.example/ledger" })
    void translatesSeedFormsAndTakesCredentialsOut(String seed, String jdbc) {
        DatabaseUrl url = DatabaseUrl.parse(seed);
        assertEquals(jdbc, url.jdbcUrl());
        assertEquals(Optional.of("app"), url.username());
        assertEquals("s3cret", url.password().orElseThrow().reveal());
        assertFalse(url.jdbcUrl().contains("s3cret"));
        assertFalse(url.toString().contains("s3cret"));
    }

    @Test
    void kindFollowsTheScheme() {
        assertEquals(DatabaseKind.POSTGRESQL, DatabaseUrl.parse("postgresql+asyncpg://h/db").kind());
        assertEquals(DatabaseKind.MARIADB, DatabaseUrl.parse("mysql://h/db").kind());
        assertEquals(DatabaseKind.MARIADB, DatabaseUrl.parse("jdbc:mysql://h:3306/db").kind());
        assertEquals("jdbc:mariadb://h:3306/db", DatabaseUrl.parse("jdbc:mysql://h:3306/db").jdbcUrl());
        assertEquals(DatabaseKind.H2, DatabaseUrl.parse("jdbc:h2:mem:test").kind());
        assertEquals(DatabaseKind.POSTGRESQL, DatabaseUrl.parse("jdbc:postgresql://h/db?sslmode=require").kind());
    }

    @Test
    void percentEncodedPasswordsAreDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p%40ss%3Aw%2Frd+x@db/ledger");
        assertEquals("p@ss:w/rd+x", url.password().orElseThrow().reveal());
        assertEquals("jdbc:postgresql://db/ledger", url.jdbcUrl());
    }

    @Test
    void anUnencodedAtSignInThePasswordStillParses() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p@ss@db:5432/ledger");
        assertEquals("p@ss", url.password().orElseThrow().reveal());
        assertEquals("jdbc:postgresql://db:5432/ledger", url.jdbcUrl());
    }

    @ParameterizedTest
    @CsvSource({ "ssl=require, require", "ssl=true, require", "sslmode=verify-full, verify-full", "ssl=disable, disable",
            "sslmode=prefer, prefer" })
    void sslParametersBecomeThePostgresDriversSslmode(String param, String mode) {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://u:p@db/app?" + param + "&prepareThreshold=0");
        assertEquals(Map.of("sslmode", mode), url.driverProperties());
        assertEquals("jdbc:postgresql://db/app?prepareThreshold=0", url.jdbcUrl());
    }

    @ParameterizedTest
    @CsvSource({ "ssl=require, trust", "sslmode=verify-full, verify-full", "ssl_mode=verify-ca, verify-ca",
            "ssl=disable, disable" })
    void sslParametersBecomeTheMariadbDriversSslMode(String param, String mode) {
        assertEquals(Map.of("sslMode", mode), DatabaseUrl.parse("mysql://u:p@db/app?" + param).driverProperties());
    }

    @Test
    void anUnknownSslModeNamesTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("postgresql://u:topsecret@db/app?ssl=maybe"));
        assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
        assertTrue(e.getMessage().contains("verify-full"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "oracle://u:topsecret@db/x",
            "postgresql://u:topsecret@/x",
            "postgresql://u:topsecret@db:99999/x",
            "postgresql://u:topsecret@db:port/x",
            "postgresql://u:topsecret@db/x/y",
            "jdbc:sqlserver://db;password=topsecret",
            "jdbc:postgresql:///x?password=topsecret",
            "jdbc:postgresql://db:0/x?password=topsecret",
            "not a url topsecret",
            "jdbc:h2:" })
    void malformedUrlsAreRejectedWithoutShowingThePassword(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(raw));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://app:s3cret@db/x|postgresql://app:***@db/x",
            "jdbc:postgresql://db/x?user=app&password=s3cret&ssl=true|jdbc:postgresql://db/x?user=app&password=***&ssl=true",
            "jdbc:mariadb://db/x?password=s3cret|jdbc:mariadb://db/x?password=***",
            "jdbc:h2:mem:x;PASSWORD=s3cret;DB_CLOSE_DELAY=-1|jdbc:h2:mem:x;PASSWORD=***;DB_CLOSE_DELAY=-1",
            "jdbc:postgresql://db/x?sslpassword=s3cret|jdbc:postgresql://db/x?sslpassword=***",
            "jdbc:postgresql://db/x|jdbc:postgresql://db/x" })
    void maskHidesEveryPasswordForm(String raw, String masked) {
        assertEquals(masked, DatabaseUrl.mask(raw));
    }

    @Test
    void multiHostPostgresUrlsKeepTheirHostsAndSayWhichToChooseInPgjdbcsTerms() {
        // libpq's target_session_attrs, which pgjdbc does not know, becomes its targetServerType.
        DatabaseUrl url = DatabaseUrl.parse(
                "postgresql://u:p@db1:5432,db2:5433/app?target_session_attrs=read-write&connectTimeout=3");
        assertEquals("jdbc:postgresql://db1:5432,db2:5433/app?connectTimeout=3", url.jdbcUrl());
        assertEquals(Map.of("targetServerType", "primary"), url.driverProperties());
        assertEquals(Map.of("targetServerType", "preferSecondary"),
                DatabaseUrl.parse("postgresql://db1,db2/app?target_session_attrs=prefer-standby").driverProperties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("postgresql://u:topsecret@db1,db2/app?target_session_attrs=writable"));
        assertTrue(e.getMessage().contains("target_session_attrs=writable is not known; accepted: any, read-write,"),
                e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        // A MariaDB URL keeps the parameter as it is: it is not the driver's.
        assertEquals("jdbc:mariadb://db1/app?target_session_attrs=read-write",
                DatabaseUrl.parse("mariadb://db1/app?target_session_attrs=read-write").jdbcUrl());
    }
}
