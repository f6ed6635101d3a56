package io.poolwatch.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.jsoup.Jsoup;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Posts a dashboard form the way a browser does: a page is fetched first, which sets the {@code poolwatch-csrf} cookie
 * and writes into the form's {@code _csrf} field a token the server signed for that cookie and the user who asked; the
 * POST sends both back, as the same user.
 */
public final class CsrfForm {

    public static final String COOKIE = "poolwatch-csrf";
    public static final String FIELD = "_csrf";

    private CsrfForm() {
    }

    /** A request carrying a fresh CSRF cookie and form field, read from the alerts page (which always has a form). */
    public static RequestSpecification given() {
        return given(RestAssured.given());
    }

    /** The same, on a request already set up (base URI, credentials). */
    public static RequestSpecification given(RequestSpecification base) {
        Token t = token(base);
        return base.cookie(COOKIE, t.cookie()).formParam(FIELD, t.field());
    }

    /** The cookie and form field a page hands out to the request's user. */
    public static Token token(RequestSpecification base) {
        Response page = RestAssured.given().spec(base).when().get("/alerts");
        String cookie = page.getCookie(COOKIE);
        assertNotNull(cookie, "the page sets the CSRF cookie");
        String field = Jsoup.parse(page.asString()).select("input[name=" + FIELD + "]").val();
        assertFalse(field.isEmpty(), "the page's form carries the CSRF field");
        return new Token(cookie, field);
    }

    /** A CSRF cookie and the field that goes with it. */
    public record Token(String cookie, String field) {
    }
}
