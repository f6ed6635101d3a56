package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.poolwatch.pool.Workload;
import io.quarkus.test.QuarkusUnitTest;

/** The host's own quarkus.datasource lives beside poolwatch's pools: each answers, and neither takes the other's place. */
class HostDatasourceTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("host-datasource")
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?ApplicationName=host-default")
            .overrideConfigKey("quarkus.datasource.username", "postgres")
            .overrideConfigKey("quarkus.datasource.jdbc.max-size", "2");

    @Inject
    AgroalDataSource hostDefault;

    @Inject
    @Workload("main")
    DataSource main;

    @Test
    void bothAnswerAsThemselves() throws Exception {
        assertEquals("host-default", applicationName(hostDefault));
        assertEquals("poolwatch-main", applicationName(main));
        // poolwatch lists only its own pools.
        given().when().get("/q/poolwatch/api/v1/pools").then().statusCode(200).body("size()", equalTo(4));
    }

    private static String applicationName(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
