package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.poolwatch.engine.DatabaseKind;

class SqlTextTest {

    private static String normalize(String sql) {
        return SqlText.normalize(sql, DatabaseKind.POSTGRESQL);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM accounts WHERE id = 42|SELECT * FROM accounts WHERE id = ?",
            "UPDATE accounts SET balance = balance - 100.50 WHERE owner = 'O''Brien'|UPDATE accounts SET balance = balance - ? WHERE owner = ?",
            "SELECT pg_sleep(0.3)|SELECT pg_sleep(?)",
            "INSERT INTO t VALUES (?, ?)|INSERT INTO t VALUES (?, ?)",
            "SELECT col1, t2.x FROM t2|SELECT col1, t2.x FROM t2",
            "SELECT -5, 1e10, $$body$$|SELECT ?, ?, ?" })
    void literalsBecomeQuestionMarksAndIdentifiersStay(String sql, String normalized) {
        assertEquals(normalized, normalize(sql));
    }

    @Test
    void whitespaceIsCollapsed() {
        assertEquals("SELECT ? FROM dual", normalize("SELECT  1\n\t FROM   dual\n"));
    }

    @Test
    void longTextIsCut() {
        String sql = "SELECT " + "x, ".repeat(1000) + "y";
        String normalized = normalize(sql);
        assertEquals(SqlText.MAX_LENGTH + 1, normalized.length());
        assertTrue(normalized.endsWith("…"));
    }

    @Test
    void aLongStringLiteralIsMaskedWithoutOverflowingTheStack() {
        // Regular expressions with an alternation in a repeated group recursed once per character here: 200 KB overflowed.
        String literal = "'" + "a''b".repeat(50_000) + "'";
        // Past the first 16 KiB nothing is read: the literal still open there hides the rest.
        assertEquals("INSERT INTO t VALUES (?…", normalize("INSERT INTO t VALUES (" + literal + ")"));
        assertEquals("SELECT ?…", normalize("SELECT $x$" + "secret $ ".repeat(30_000)),
                "an unterminated dollar quote hides the rest");
    }

    @Test
    void aMariadbStatementKeepsNoPartOfAStringWithAnEscapedQuote() {
        String sql = "SELECT * FROM users WHERE password = 'it\\'s my secret' AND id = 7";
        assertEquals("SELECT * FROM users WHERE password = ? AND id = ?", SqlText.normalize(sql, DatabaseKind.MARIADB));
        // Read with PostgreSQL's rules the backslash is a character and the quote ends the string: the rest would show.
        assertTrue(normalize(sql).contains("secret"), normalize(sql));
    }
}
