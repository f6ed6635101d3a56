package io.poolwatch.web;

/**
 * The JSON body of every API error.
 *
 * @param error what went wrong
 * @param status the HTTP status
 */
public record ApiError(String error, int status) {
}
