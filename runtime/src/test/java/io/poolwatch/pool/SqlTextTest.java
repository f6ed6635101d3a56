package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM accounts WHERE id = 42|SELECT * FROM accounts WHERE id = ?",
            "UPDATE accounts SET balance = balance - 100.50 WHERE owner = 'O''Brien'|UPDATE accounts SET balance = balance - ? WHERE owner = ?",
            "SELECT pg_sleep(0.3)|SELECT pg_sleep(?)",
            "INSERT INTO t VALUES (?, ?)|INSERT INTO t VALUES (?, ?)",
            "SELECT col1, t2.x FROM t2|SELECT col1, t2.x FROM t2",
            "SELECT -5, 1e10, $$body$$|SELECT ?, ?, ?" })
    void literalsBecomeQuestionMarksAndIdentifiersStay(String sql, String normalized) {
        assertEquals(normalized, SqlText.normalize(sql));
    }

    @Test
    void whitespaceIsCollapsed() {
        assertEquals("SELECT ? FROM dual", SqlText.normalize("SELECT  1\n\t FROM   dual\n"));
    }

    @Test
    void longTextIsCut() {
        String sql = "SELECT " + "x, ".repeat(1000) + "y";
        String normalized = SqlText.normalize(sql);
        assertEquals(SqlText.MAX_LENGTH + 1, normalized.length());
        assertTrue(normalized.endsWith("…"));
    }

    @Test
    void aLongStringLiteralIsMaskedWithoutOverflowingTheStack() {
        // Regular expressions with an alternation in a repeated group recursed once per character here: 200 KB overflowed.
        String literal = "'" + "a''b".repeat(50_000) + "'";
        // Past the first 16 KiB nothing is read: the literal still open there hides the rest.
        assertEquals("INSERT INTO t VALUES (?…", SqlText.normalize("INSERT INTO t VALUES (" + literal + ")"));
        assertEquals("SELECT ?…", SqlText.normalize("SELECT $x$" + "secret $ ".repeat(30_000)),
                "an unterminated dollar quote hides the rest");
    }
}
