package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * poolwatch's CSRF tokens guard its own forms and nothing of the host's: the host's pages set no poolwatch cookie and
 * its forms are posted without a token, while a form posted to poolwatch needs its page's cookie and field.
 */
class HostFormsTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("forms", Signup.class);

    /** A page and a form of the host's own. */
    @Path("/signup")
    public static class Signup {
        @GET
        public String page() {
            return "<form method=post action=/signup><input name=email></form>";
        }

        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public String post(@FormParam("email") String email) {
            return "welcome " + email;
        }
    }

    @Test
    void theHostsFormsAndPagesAreLeftAlone() {
        Response page = given().when().get("/signup");
        assertEquals(200, page.statusCode());
        assertEquals(null, page.getCookie("poolwatch-csrf"), "a host page sets no poolwatch cookie");
        given().formParam("email", "a@example.com").when().post("/signup").then().statusCode(200)
                .body(equalTo("welcome a@example.com"));
    }

    @Test
    void poolwatchsFormsNeedTheirPagesToken() {
        given().redirects().follow(false).formParam("x", "1").when().post("/q/poolwatch/actions/pools/main/reset-metrics")
                .then()
                .statusCode(400).body(containsString("security token"));

        Response page = given().when().get("/q/poolwatch/pools/main");
        String cookie = page.getCookie("poolwatch-csrf");
        assertNotNull(cookie, "a poolwatch page sets the token cookie");
        String setCookie = page.getHeader("Set-Cookie").toLowerCase(Locale.ROOT);
        assertTrue(
                setCookie.contains("path=/q/poolwatch") && setCookie.contains("httponly")
                        && setCookie.contains("samesite=strict"),
                setCookie);
        Matcher field = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(page.asString());
        assertTrue(field.find(), "the page's forms carry a token");
        String token = field.group(1);

        given().redirects().follow(false).cookie("poolwatch-csrf", cookie).formParam("_csrf", "forged-" + cookie.substring(7))
                .when()
                .post("/q/poolwatch/actions/pools/main/reset-metrics").then().statusCode(400);
        // the cookie's own value is no token: the token is the server's signature for the cookie
        given().redirects().follow(false).cookie("poolwatch-csrf", cookie).formParam("_csrf", cookie).when()
                .post("/q/poolwatch/actions/pools/main/reset-metrics").then().statusCode(400);
        // back must be a path under poolwatch's root; the action is refused before it runs
        given().redirects().follow(false).cookie("poolwatch-csrf", cookie).formParam("_csrf", token)
                .formParam("back", "/signup").when()
                .post("/q/poolwatch/actions/pools/main/reset-metrics").then().statusCode(400)
                .body(containsString("back=/signup"))
                .body(containsString("/q/poolwatch"));
        given().redirects().follow(false).cookie("poolwatch-csrf", cookie).formParam("_csrf", token)
                .formParam("back", "/q/poolwatch/pools/main")
                .when().post("/q/poolwatch/actions/pools/main/reset-metrics").then().statusCode(303)
                .header("Location", containsString("/q/poolwatch/pools/main"));
        // an API change needs JSON (or a form with the token): a text/plain POST without Origin is refused
        given().contentType("text/plain").body("x").when().post("/q/poolwatch/api/v1/pools/main/reset-metrics").then()
                .statusCode(415)
                .body(containsString("application/json"));
        given().contentType("application/json").when().post("/q/poolwatch/api/v1/pools/main/reset-metrics").then()
                .statusCode(200);
    }
}
