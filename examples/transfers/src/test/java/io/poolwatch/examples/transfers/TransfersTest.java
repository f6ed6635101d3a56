package io.poolwatch.examples.transfers;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * 200 concurrent transfers over HTTP, then the books: the ledger balances to the cent, no account went below zero,
 * no money appeared or vanished, and poolwatch's own numbers for the {@code financial} pool agree with the load.
 */
@QuarkusTest
@WithTestResource(TransfersDatabaseTestResource.class)
class TransfersTest {

    static final int ACCOUNTS = 12;
    static final long OPENING = 100_00;
    static final int TRANSFERS = 200;
    static final int CLIENTS = 8;

    private static long open(String owner) {
        return given().contentType(ContentType.JSON).body(Map.of("owner", owner, "openingBalanceCents", OPENING))
                .when().post("/accounts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Where poolwatch's pool API is served in a host application: under its root, beside /q/health. */
    static final String POOL_API = "/q/poolwatch/api/v1/pools";

    private static JsonPath financialPool() {
        return given().when().get(POOL_API + "/financial").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void thePoolApiIsServedUnderPoolwatchsRoot() {
        given().when().get("/q/poolwatch/api/v1/pools/financial").then().statusCode(200);
        given().when().get("/api/v1/pools/financial").then().statusCode(404);
    }

    @Test
    void concurrentTransfersKeepTheBooksBalancedAndPoolwatchCountsThem() throws Exception {
        List<Long> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add(open("owner-" + i));
        }
        long acquisitionsBefore = financialPool().getLong("pool.acquisitions");

        Random random = new Random(42);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < TRANSFERS; i++) {
                long from = accounts.get(random.nextInt(ACCOUNTS));
                long to = accounts.get(random.nextInt(ACCOUNTS - 1));
                long to2 = to == from ? accounts.get(ACCOUNTS - 1) : to;
                // Up to 60.00: the busiest accounts run dry, so some transfers are refused as overdrafts.
                long amount = 1 + random.nextInt(60_00);
                answers.add(clients.submit(() -> transfer(from, to2, amount)));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<Integer> f : answers) {
                byStatus.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            int booked = byStatus.getOrDefault(201, 0);
            int refused = byStatus.getOrDefault(409, 0);
            assertEquals(TRANSFERS, booked + refused, "every transfer booked or refused as an overdraft: " + byStatus);
            assertTrue(booked > 0 && refused > 0, "the load both books and refuses: " + byStatus);
            assertBooksBalance(accounts, booked);
        } finally {
            clients.shutdownNow();
            assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        }

        // poolwatch saw every transfer borrow a financial connection (retries borrow again), and all came back.
        JsonPath after = awaitIdle();
        long acquired = after.getLong("pool.acquisitions") - acquisitionsBefore;
        assertTrue(acquired >= TRANSFERS,
                "financial acquisitions grew by " + acquired + ", fewer than the " + TRANSFERS + " transfers");
        assertEquals(0, after.getLong("pool.leased"));
        assertEquals(0, after.getInt("pool.currentLeaks"));
        assertEquals(List.of(), given().when().get(POOL_API + "/financial/leaks").then().statusCode(200).extract().jsonPath()
                .getList("$"));
    }

    /**
     * One transfer as a well-behaved client sends it: a 503 (conflicts outlasted the server's retries; nothing was written)
     * is sent again after its Retry-After, at most five times. The status of the last answer.
     */
    private static int transfer(long from, long to, long amount) throws InterruptedException {
        int status = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            var answer = given().contentType(ContentType.JSON)
                    .body(Map.of("fromAccount", from, "toAccount", to, "amountCents", amount))
                    .when().post("/transfers");
            status = answer.statusCode();
            if (status != 503) {
                return status;
            }
            Thread.sleep(1000L * Long.parseLong(answer.header("Retry-After")));
        }
        return status;
    }

    private static JsonPath awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonPath pool = financialPool();
        while (pool.getLong("pool.leased") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            pool = financialPool();
        }
        return pool;
    }

    /** Checked in the database with the test's own connection, not through the application. */
    private static void assertBooksBalance(List<Long> accounts, int booked) throws SQLException {
        try (Connection c = TransfersDatabaseTestResource.connect()) {
            assertEquals(scalar(c, "SELECT coalesce(sum(amount_cents), 0) FROM transfers_ledger WHERE direction = 'debit'"),
                    scalar(c, "SELECT coalesce(sum(amount_cents), 0) FROM transfers_ledger WHERE direction = 'credit'"),
                    "debits equal credits");
            assertEquals(2 * scalar(c, "SELECT count(*) FROM transfers_transfers"),
                    scalar(c, "SELECT count(*) FROM transfers_ledger"),
                    "every transfer has exactly a debit and a credit");
            assertEquals(0,
                    scalar(c,
                            """
                                    SELECT count(*) FROM transfers_accounts a
                                    WHERE a.balance_cents <> (SELECT coalesce(sum(CASE l.direction WHEN 'credit' THEN l.amount_cents ELSE -l.amount_cents END), 0)
                                                             FROM transfers_ledger l WHERE l.account_id = a.id)"""),
                    "every balance is its ledger's sum");
            assertEquals(0, scalar(c, "SELECT count(*) FROM transfers_accounts WHERE kind = 'customer' AND balance_cents < 0"),
                    "no customer balance below zero");
            assertEquals(0, scalar(c, "SELECT sum(balance_cents) FROM transfers_accounts"),
                    "money only moves: all balances sum to zero");
            String ids = accounts.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
            assertEquals(ACCOUNTS * OPENING,
                    scalar(c, "SELECT sum(balance_cents) FROM transfers_accounts WHERE id IN (" + ids + ")"),
                    "the test's accounts hold what they were opened with");
            assertEquals(booked,
                    scalar(c, "SELECT count(*) FROM transfers_transfers WHERE from_account IN (" + ids + ") AND to_account IN ("
                            + ids + ")"),
                    "one transfer row per 201");
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void balancesStatementsAndRefusals() {
        long alice = open("alice");
        long bob = open("bob");
        given().contentType(ContentType.JSON).body(Map.of("fromAccount", alice, "toAccount", bob, "amountCents", 25_00))
                .when().post("/transfers").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("fromAccount", alice, "toAccount", bob, "amountCents", 1_000_00))
                .when().post("/transfers").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("fromAccount", alice, "toAccount", alice, "amountCents", 1))
                .when().post("/transfers").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("fromAccount", alice, "toAccount", Long.MAX_VALUE, "amountCents", 1))
                .when().post("/transfers").then().statusCode(404);
        assertEquals(75_00,
                given().when().get("/accounts/" + alice).then().statusCode(200).extract().jsonPath().getLong("balanceCents"));
        assertEquals(125_00,
                given().when().get("/accounts/" + bob).then().statusCode(200).extract().jsonPath().getLong("balanceCents"));
        JsonPath statement = given().when().get("/accounts/" + alice + "/statement").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("credit", "debit"), statement.getList("direction"));
        assertEquals(List.of(100_00, 25_00), statement.getList("amountCents", Integer.class));
        given().when().get("/accounts/" + Long.MAX_VALUE).then().statusCode(404);
    }
}
